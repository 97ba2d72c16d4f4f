// Worker entry: Node 20 cannot run .ts, so register tsx's loader (as local/bin does), then run the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./documentCheckWorker.ts');
