/// <reference lib="webworker" />
import type { MessageEndpoint } from '../../core/worker';
import { serveMedia } from '../../media/workerHost';

serveMedia(self as unknown as MessageEndpoint);
