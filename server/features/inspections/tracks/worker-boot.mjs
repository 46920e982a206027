// Entry of the track-parsing worker thread. The parser is TypeScript and a worker does not inherit the loader of the
// thread that started it (neither tsx's under `npm start` nor vitest's in tests), so tsx's loader is registered here.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
