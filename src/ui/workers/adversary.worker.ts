/// <reference lib="webworker" />
/** Applies adversarial pixel operations (and difference images) off the main thread, over frames the media Worker shares with it. */
import { pixelMethods } from '../../adversary/workerHost';
import { type MessageEndpoint, serve } from '../../core/worker';

serve(self as unknown as MessageEndpoint, pixelMethods());
