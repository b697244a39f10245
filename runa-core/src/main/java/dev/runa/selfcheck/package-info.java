/**
 * {@code runa selfcheck}: proof on real weights. Runs CLIP zero-shot classification on images whose
 * label probabilities OpenAI published (its CLIP README), or on any image with expected
 * probabilities, and decides PASS or FAIL with a tolerance derived from a measurement of how far an
 * fp16 GPU forward moves those probabilities ({@link dev.runa.selfcheck.Tolerance}).
 *
 * <p>Flow: {@link dev.runa.selfcheck.PublishedOutputs} (what was published, and where) and
 * {@link dev.runa.selfcheck.ZeroShotCase} (image + prompts + expectation) go into
 * {@link dev.runa.selfcheck.SelfCheck}, which computes probabilities with {@link dev.runa.selfcheck.ZeroShot}
 * and judges them with {@link dev.runa.selfcheck.Tolerance} into a {@link dev.runa.selfcheck.SelfCheckReport}.
 */
package dev.runa.selfcheck;
