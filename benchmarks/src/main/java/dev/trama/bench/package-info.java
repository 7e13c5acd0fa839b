/**
 * Measurements against a real etcd, run by the {@code scripts/bench-*} launchers; not tests. The IPAM
 * benchmark ({@link dev.trama.bench.IpamBenchmark}) sets the project's allocator beside the original's
 * probing allocator, reimplemented here as the baseline, and reports each figure as a ratio against
 * the baseline measured in the same run.
 */
package dev.trama.bench;
