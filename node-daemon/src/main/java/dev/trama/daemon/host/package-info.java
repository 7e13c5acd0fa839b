/**
 * The host, as the daemon changes it: {@link dev.trama.daemon.host.ProcessRunner} is the only place a
 * process starts (an argument vector, never a shell); {@link dev.trama.daemon.host.Ip} and
 * {@link dev.trama.daemon.host.Iptables} build those vectors from validated values and read state back
 * ({@code ip -json}, {@code iptables -C}); {@link dev.trama.daemon.host.Sysctl} reads and writes kernel
 * settings, under /proc/sys or through {@code sysctl} run by a runner (which may run it in another namespace);
 * {@link dev.trama.daemon.host.HostSockets} tells which ports the host's sockets hold, the same two ways.
 */
package dev.trama.daemon.host;
