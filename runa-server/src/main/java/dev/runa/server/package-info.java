/**
 * {@code runa serve}: RUNA scoring as an HTTP service on Javalin. {@link dev.runa.server.RunaServer}
 * wires the routes; request threads parse ({@code ScoreRequestParser}), decode, run the optional
 * object detector ({@code POST /v1/detect}, {@code ObjectDetectorOptions}) and cut views, and a
 * {@code DynamicBatcher} combines the views of concurrent score and detect requests into encoder
 * batches. Box objects are written by the library's {@link dev.runa.output.BoxJson}, as
 * {@code runa score}'s and {@code runa detect}'s rows are. Depends on runa-core only.
 */
package dev.runa.server;
