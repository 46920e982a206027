import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, GeoJSONSource, Map as MaplibreMap, MapGeoJSONFeature, MapLayerMouseEvent, MapMouseEvent, PaddingOptions } from 'maplibre-gl';
import type { AreaPaint, MapOverlay } from './overlay.ts';
import type { AreaCollection, AreaProperties, Bbox, CountyCollection, ZoneCollection } from '../api/types.ts';
import { rankClickedAreas } from '../areas/filter.ts';
import { landUrl } from './land.ts';
import { maplibregl } from './maplibre.ts';
import {
  AREA_FILL_OPACITY,
  areaLabelFilter,
  areaLabelPoints,
  buildStyle,
  categoryColorExpression,
  countySeatPoints,
  emptyCollection,
  labelTextField,
  LAYER,
  selectionLabelPoint,
  SOURCE,
  WEIFANG_BBOX,
  type LabelLanguage,
  type SelectedShape,
} from './style.ts';

declare global {
  interface Window {
    /** Handle for the browser tests. */
    __portal?: { map: MaplibreMap };
  }
}

export interface MapViewOptions {
  lang: LabelLanguage;
  attribution: string[];
  padding: PaddingOptions;
  /** Called with the codes of the areas under a click, the likeliest meant first. */
  onPick: (codes: string[]) => void;
}

type SourceId = (typeof SOURCE)[keyof typeof SOURCE];

/** The extent the map may be panned within: Weifang plus a margin. */
const MAX_BOUNDS: Bbox = [116.6, 34.6, 121.6, 38.4];

/**
 * The one owner of the maplibre map: every imperative call (sources, layers, camera, controls)
 * goes through here, so components only hand it data.
 */
export class MapView {
  status = $state<'loading' | 'ready' | 'error'>('loading');
  errorMessage = $state<string | null>(null);
  map = $state.raw<MaplibreMap | null>(null);

  #options: MapViewOptions;
  #data = new Map<SourceId, FeatureCollection>();
  #attribution: maplibregl.AttributionControl | null = null;
  #hovered: string | null = null;
  #idleArmed = false;
  #selectedCode: string | null = null;
  #overlayData = new Map<string, FeatureCollection>();
  /** Overlay layers whose clicks are theirs alone: a click on one does not also pick the area beneath. */
  #claimingLayers = new Set<string>();
  #drawing: { click: (lngLat: [number, number]) => void; dblclick: (lngLat: [number, number]) => void } | null = null;

  constructor(container: HTMLElement, options: MapViewOptions) {
    this.#options = options;
    document.body.dataset.mapState = 'loading';
    let map: MaplibreMap;
    try {
      map = new maplibregl.Map({
        container,
        style: buildStyle({ landUrl, lang: options.lang }),
        bounds: WEIFANG_BBOX,
        fitBoundsOptions: { padding: options.padding },
        maxBounds: MAX_BOUNDS,
        minZoom: 6,
        maxZoom: 16,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
      });
    } catch (error) {
      // No WebGL (old browser, GPU blocked): say so instead of a blank page.
      this.status = 'error';
      this.errorMessage = error instanceof Error ? error.message : String(error);
      document.body.dataset.mapState = 'error';
      return;
    }
    this.map = map;
    window.__portal = { map };

    map.touchZoomRotate.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    this.setAttribution(options.attribution);

    map.on('load', () => {
      this.status = 'ready';
      for (const id of this.#data.keys()) this.#push(id);
      this.#applyLabelFilter();
    });
    map.on('error', (event) => {
      // Tile and data errors are reported per source; the map itself keeps working.
      console.error('map error', event.error);
    });
    map.on('click', LAYER.areaFill, (event) => this.#onAreaClick(event));
    map.on('mousemove', LAYER.areaFill, (event) => this.#onAreaHover(event));
    map.on('mouseleave', LAYER.areaFill, () => this.#setHovered(null));
  }

  /** The areas to draw (the list's current matches). */
  setAreas(areas: AreaCollection): void {
    this.#set(SOURCE.areas, areas);
    this.#set(SOURCE.areaLabels, areaLabelPoints(areas));
    this.#armFirstIdle();
  }

  /** The county boundaries and the seat points their names are written at. */
  setCounties(counties: CountyCollection | null): void {
    if (!counties) return;
    this.#set(SOURCE.counties, {
      type: 'FeatureCollection',
      features: counties.features.filter((f) => f.geometry !== null),
    } as FeatureCollection);
    this.#set(SOURCE.countySeats, countySeatPoints(counties));
  }

  /** Outlines and names the selected area (or nothing). */
  setSelection(selected: SelectedShape | null): void {
    this.#set(
      SOURCE.selection,
      selected
        ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: selected.geometry, properties: {} }] }
        : emptyCollection(),
    );
    this.#set(SOURCE.selectionLabel, selectionLabelPoint(selected));
    this.#selectedCode = selected?.code ?? null;
    this.#applyLabelFilter();
  }

  /** Draws the selected area's functional zones (or none). */
  setZones(zones: ZoneCollection | null): void {
    this.#set(SOURCE.zones, zones ?? emptyCollection());
  }

  /** Writes the labels in the given language. */
  setLanguage(lang: LabelLanguage): void {
    if (lang === this.#options.lang) return;
    this.#options.lang = lang;
    const map = this.map;
    if (!map) return;
    for (const layer of [LAYER.areaLabels, LAYER.countyLabels, LAYER.selectionLabel]) {
      map.setLayoutProperty(layer, 'text-field', labelTextField(lang));
    }
  }

  /** Replaces the attribution lines (they are translated, and the datum note arrives with the counties). */
  setAttribution(lines: string[]): void {
    const map = this.map;
    if (!map) return;
    if (this.#attribution) map.removeControl(this.#attribution);
    // Written out in full where there is room; behind the (i) button on phones, where the open
    // notice would cover the map's bottom controls. The legend repeats the schematic notice there.
    const narrow = map.getContainer().clientWidth < 640;
    this.#attribution = new maplibregl.AttributionControl({ compact: narrow, customAttribution: lines });
    map.addControl(this.#attribution, 'bottom-right');
    if (narrow) {
      const element = map.getContainer().querySelector('.maplibregl-ctrl-attrib');
      element?.classList.remove('maplibregl-compact-show');
      element?.removeAttribute('open');
    }
  }

  /** Sets the room the side panels take, so fitting keeps areas out from under them. */
  setPadding(padding: PaddingOptions): void {
    this.#options.padding = padding;
  }

  /** Moves the camera to show a bounding box. */
  fitBbox(bbox: Bbox, { animate = true }: { animate?: boolean } = {}): void {
    const map = this.map;
    if (!map) return;
    // The panel or a sheet may have just changed the container's size; fit to the size it has now.
    map.resize();
    const [minLon, minLat, maxLon, maxLat] = bbox;
    map.fitBounds(
      [
        [minLon, minLat],
        [maxLon, maxLat],
      ],
      { padding: this.#safePadding(map), maxZoom: 13, duration: animate ? 900 : 0 },
    );
  }

  /** Shows the whole city again. */
  resetView(): void {
    this.fitBbox(WEIFANG_BBOX);
  }

  /** Adds a page's own sources and layers (once), under the selection outline and the labels unless `onTop`. */
  addOverlay(overlay: MapOverlay): void {
    this.#whenReady((map) => {
      for (const id of overlay.sources) {
        if (!map.getSource(id)) map.addSource(id, { type: 'geojson', data: this.#overlayData.get(id) ?? emptyCollection(), ...overlay.sourceOptions?.[id] });
      }
      for (const layer of overlay.layers) {
        if (!map.getLayer(layer.id)) map.addLayer(layer, overlay.onTop ? undefined : LAYER.selectionCasing);
      }
    });
  }

  /** Replaces the data of an overlay source (kept until the source exists). */
  setOverlayData(id: string, data: FeatureCollection): void {
    this.#overlayData.set(id, data);
    this.#whenReady((map) => map.getSource<GeoJSONSource>(id)?.setData(data));
  }

  /** Shows or hides overlay layers. */
  setLayersVisible(ids: readonly string[], visible: boolean): void {
    this.#whenReady((map) => {
      for (const id of ids) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    });
  }

  /** Paints the areas by a page's theme (e.g. coverage) instead of their category; null restores the categories. */
  setAreaPaint(paint: AreaPaint | null): void {
    this.#whenReady((map) => {
      const hover: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
      map.setPaintProperty(LAYER.areaFill, 'fill-color', paint ? paint.fillColor : categoryColorExpression());
      map.setPaintProperty(LAYER.areaFill, 'fill-opacity', ['case', hover, paint ? Math.min(1, paint.fillOpacity + 0.15) : 0.8, paint ? paint.fillOpacity : AREA_FILL_OPACITY]);
      map.setPaintProperty(LAYER.areaOutline, 'line-color', paint ? paint.lineColor : categoryColorExpression());
      map.setPaintProperty(LAYER.areaOutline, 'line-width', paint ? paint.lineWidth : ['interpolate', ['linear'], ['zoom'], 7, 0.8, 12, 2]);
    });
  }

  /**
   * Hands the features under a click on any of these overlay layers to `handler` (the area beneath is
   * then not picked); returns the function that stops it.
   */
  onLayerClick(layers: readonly string[], handler: (features: MapGeoJSONFeature[]) => void): () => void {
    const map = this.map;
    if (!map) return () => {};
    const live = (): string[] => layers.filter((id) => map.getLayer(id));
    const onClick = (event: MapMouseEvent) => {
      const ids = live();
      if (this.#drawing || ids.length === 0) return;
      const features = map.queryRenderedFeatures(event.point, { layers: ids });
      if (features.length > 0) handler(features);
    };
    const onMove = (event: MapMouseEvent) => {
      const ids = live();
      if (this.#drawing || ids.length === 0) return;
      const hit = map.queryRenderedFeatures(event.point, { layers: ids }).length > 0;
      if (hit) map.getCanvas().style.cursor = 'pointer';
      else if (!this.#hovered) map.getCanvas().style.cursor = '';
    };
    for (const id of layers) this.#claimingLayers.add(id);
    map.on('click', onClick);
    map.on('mousemove', onMove);
    return () => {
      for (const id of layers) this.#claimingLayers.delete(id);
      map.off('click', onClick);
      map.off('mousemove', onMove);
    };
  }

  /** Zooms in to where a cluster of a clustered overlay source splits into smaller ones. */
  async expandCluster(sourceId: string, clusterId: number, center: [number, number]): Promise<void> {
    const map = this.map;
    const source = map?.getSource<GeoJSONSource>(sourceId);
    if (!map || !source) return;
    const zoom = await source.getClusterExpansionZoom(clusterId);
    map.easeTo({ center, zoom: Math.min(zoom + 0.5, map.getMaxZoom()) });
  }

  /**
   * Drawing mode: every click on the map goes to `handlers.click` (areas are not picked) and a
   * double-click to `handlers.dblclick` instead of zooming; null ends it.
   */
  setDrawing(handlers: { click: (lngLat: [number, number]) => void; dblclick: (lngLat: [number, number]) => void } | null): void {
    const map = this.map;
    if (!map) return;
    if (!this.#drawing && handlers) {
      map.on('click', this.#onDrawClick);
      map.on('dblclick', this.#onDrawDblclick);
      map.doubleClickZoom.disable();
    } else if (this.#drawing && !handlers) {
      map.off('click', this.#onDrawClick);
      map.off('dblclick', this.#onDrawDblclick);
      map.doubleClickZoom.enable();
    }
    this.#drawing = handlers;
    map.getCanvas().style.cursor = handlers ? 'crosshair' : '';
  }

  #onDrawClick = (event: MapMouseEvent): void => {
    this.#drawing?.click([event.lngLat.lng, event.lngLat.lat]);
  };

  #onDrawDblclick = (event: MapMouseEvent): void => {
    event.preventDefault();
    this.#drawing?.dblclick([event.lngLat.lng, event.lngLat.lat]);
  };

  #claimedAt(event: MapLayerMouseEvent): boolean {
    const map = this.map;
    const ids = [...this.#claimingLayers].filter((id) => map?.getLayer(id));
    return !!map && ids.length > 0 && map.queryRenderedFeatures(event.point, { layers: ids }).length > 0;
  }

  /** Removes the map and its handle. */
  destroy(): void {
    if (window.__portal?.map === this.map) delete window.__portal;
    this.map?.remove();
    this.map = null;
  }

  // Overlay calls usually arrive before the style has loaded; they run once it has.
  #whenReady(run: (map: MaplibreMap) => void): void {
    const map = this.map;
    if (!map) return;
    if (this.status === 'ready') run(map);
    else map.once('load', () => run(map));
  }

  #applyLabelFilter(): void {
    const map = this.map;
    if (!map || this.status !== 'ready') return;
    map.setFilter(LAYER.areaLabels, areaLabelFilter(this.#selectedCode));
  }

  #set(id: SourceId, data: FeatureCollection): void {
    this.#data.set(id, data);
    this.#push(id);
  }

  #push(id: SourceId): void {
    const map = this.map;
    if (!map || this.status !== 'ready') return;
    const data = this.#data.get(id);
    if (data) map.getSource<GeoJSONSource>(id)?.setData(data);
  }

  // Padding larger than the canvas makes fitBounds give up; shrink it on small screens.
  #safePadding(map: MaplibreMap): PaddingOptions {
    const { top = 0, right = 0, bottom = 0, left = 0 } = this.#options.padding;
    const canvas = map.getContainer();
    const scaleX = Math.min(1, (canvas.clientWidth * 0.7) / Math.max(1, left + right));
    const scaleY = Math.min(1, (canvas.clientHeight * 0.7) / Math.max(1, top + bottom));
    return { top: top * scaleY, bottom: bottom * scaleY, left: left * scaleX, right: right * scaleX };
  }

  // The browser tests wait for this flag: the first moment the areas are drawn and the map is still.
  #armFirstIdle(): void {
    const map = this.map;
    if (!map || this.#idleArmed) return;
    this.#idleArmed = true;
    const check = () => {
      if (this.status !== 'ready' || !map.isSourceLoaded(SOURCE.areas)) return;
      const areas = this.#data.get(SOURCE.areas);
      if (!areas) return;
      document.body.dataset.mapState = 'idle';
      map.off('idle', check);
    };
    map.on('idle', check);
    map.triggerRepaint();
  }

  #hits(event: MapLayerMouseEvent): Pick<AreaProperties, 'code' | 'gisAreaHa'>[] {
    return (event.features ?? []).map((f) => ({
      code: String(f.properties.code),
      gisAreaHa: Number(f.properties.gisAreaHa),
    }));
  }

  #onAreaClick(event: MapLayerMouseEvent): void {
    if (this.#drawing || this.#claimedAt(event)) return;
    const codes = rankClickedAreas(this.#hits(event));
    if (codes.length > 0) this.#options.onPick(codes);
  }

  #onAreaHover(event: MapLayerMouseEvent): void {
    const [first] = rankClickedAreas(this.#hits(event));
    this.#setHovered(first ?? null);
  }

  #setHovered(code: string | null): void {
    const map = this.map;
    if (!map || code === this.#hovered) return;
    if (this.#hovered) map.setFeatureState({ source: SOURCE.areas, id: this.#hovered }, { hover: false });
    if (code) map.setFeatureState({ source: SOURCE.areas, id: code }, { hover: true });
    this.#hovered = code;
    map.getCanvas().style.cursor = this.#drawing ? 'crosshair' : code ? 'pointer' : '';
  }
}
