/** The claim scenes live beside the benchmark that uses them too (the bench build does not include test/). */
export { claimPhotoFrom, sceneClip, sceneSvg, type ClaimPhotoEdits } from '../../bench/claim-scenes.js';
