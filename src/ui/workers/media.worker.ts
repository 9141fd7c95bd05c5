/// <reference lib="webworker" />
import { serveMediaRequests } from '../../media/workerHost';

serveMediaRequests(self as unknown as DedicatedWorkerGlobalScope);
