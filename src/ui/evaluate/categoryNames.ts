import type { SynthCategory } from '../../synth';

/** How the views name the synthetic world's question categories. */
export const CATEGORY_NAMES: Record<SynthCategory, string> = { spatial: 'Spatial', temporal: 'Temporal', cross_frame: 'Cross-frame', general: 'General' };
