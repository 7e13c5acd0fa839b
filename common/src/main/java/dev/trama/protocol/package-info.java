/**
 * The wire protocol. Every message is a ZeroMQ multipart of a method frame and one JSON body frame;
 * publications add a topic frame in front. Each message kind is a record in a sealed family that says
 * which socket carries it:
 *
 * <ul>
 *   <li>{@link dev.trama.protocol.ServerRequest}: daemon → server (REQ/ROUTER 8081), answered by a
 *       record of {@link dev.trama.protocol.Replies} or an error;</li>
 *   <li>{@link dev.trama.protocol.Task}: server → daemons (PUB 8080), on a topic per node;</li>
 *   <li>{@link dev.trama.protocol.Report}: daemons → server (PUSH/PULL 8082), never answered;</li>
 *   <li>{@link dev.trama.protocol.ConsoleRequest}: console → its local daemon (127.0.0.1:5002).</li>
 * </ul>
 *
 * Records check their fields in their constructors, so a message the {@link dev.trama.protocol.Codec}
 * decodes holds only valid names, addresses and images, and free text (reasons, warnings, error sentences)
 * without control characters and at most {@link dev.trama.protocol.Check#MAX_TEXT} long, safe to print or
 * log as it is. Unknown fields are ignored, so a newer peer may
 * add fields; a different protocol version is refused with {@code UNSUPPORTED_VERSION}.
 */
package dev.trama.protocol;
