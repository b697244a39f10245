/**
 * Hugging Face hub download and cache, in the standard cache layout that Python tools share.
 *
 * <p>{@link dev.runa.clip.hub.ModelSpec} tells a local directory from a hub id;
 * {@link dev.runa.clip.hub.HubSettings} reads the environment (HF_HOME, HF_HUB_CACHE, HF_TOKEN,
 * HF_HUB_OFFLINE, HF_ENDPOINT) as huggingface_hub does; {@link dev.runa.clip.hub.HubClient} returns
 * local paths of repo files, downloading into {@link dev.runa.clip.hub.HfCache} when needed.
 */
package dev.runa.clip.hub;
