// The land polygon is a static asset copied into the build, so the basemap needs no tile server.
import landUrl from '../../../../data/sample/land.geojson?url';

export { landUrl };
