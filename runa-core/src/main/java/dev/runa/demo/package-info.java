/**
 * The first-run demo's data: a manifest of public photos with hand-placed boxes (a resource of
 * this jar), and a small cache that fetches each photo once over HTTPS/HTTP and never touches the
 * network when the photo is already there.
 */
package dev.runa.demo;
