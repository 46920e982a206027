import type { ExpressionSpecification, GeoJSONSourceSpecification, LayerSpecification } from 'maplibre-gl';

/**
 * Layers a feature page draws over the areas (coverage, tracks): built by that feature's pure
 * style module and handed to the MapView, which alone adds them to the map.
 */
export interface MapOverlay {
  /** Source ids, each starting empty; filled later with `MapView.setOverlayData`. */
  sources: readonly string[];
  /** Layers reading those sources (or the base `areas` source), drawn bottom to top. */
  layers: readonly LayerSpecification[];
  /** Whether the layers go above the labels too (markers that must never hide behind a name). */
  onTop?: boolean;
  /** Extra options of some sources (e.g. clustering), by source id. */
  sourceOptions?: Readonly<Record<string, Partial<Omit<GeoJSONSourceSpecification, 'type' | 'data'>>>>;
}

/** How a page paints the base area fill instead of the category colours (e.g. by coverage class). */
export interface AreaPaint {
  fillColor: ExpressionSpecification;
  fillOpacity: number;
  lineColor: string;
  lineWidth: number;
}
