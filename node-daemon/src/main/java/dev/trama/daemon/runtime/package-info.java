/**
 * The container engine behind a small interface: {@link dev.trama.daemon.runtime.ContainerRuntime};
 * {@link dev.trama.daemon.runtime.DockerRuntime} is the only class that imports docker-java.
 */
package dev.trama.daemon.runtime;
