import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';

// maplibre-gl 6 ships its worker as a separate ES module; it must be told where the bundler put it,
// once, before the first map is created.
maplibregl.setWorkerUrl(workerUrl);

export { maplibregl };
