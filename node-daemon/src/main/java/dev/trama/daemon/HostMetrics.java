package dev.trama.daemon;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/** CPU use since the previous sample and memory of the host, read through OSHI. */
public final class HostMetrics {

    /** The host's CPU and memory now, and its LAN interface's MTU (0 when not read). */
    public record Sample(double cpuPercent, long freeMemMb, long totalMemMb, int lanMtu) {
        public Sample(double cpuPercent, long freeMemMb, long totalMemMb) {
            this(cpuPercent, freeMemMb, totalMemMb, 0);
        }

        public Sample withLanMtu(int mtu) {
            return new Sample(cpuPercent, freeMemMb, totalMemMb, mtu);
        }
    }

    private static final long MB = 1024 * 1024;

    private final CentralProcessor processor;
    private final GlobalMemory memory;
    private long[] previousTicks;

    public HostMetrics() {
        SystemInfo system = new SystemInfo();
        this.processor = system.getHardware().getProcessor();
        this.memory = system.getHardware().getMemory();
        this.previousTicks = processor.getSystemCpuLoadTicks();
    }

    public synchronized Sample sample() {
        double load = processor.getSystemCpuLoadBetweenTicks(previousTicks);
        previousTicks = processor.getSystemCpuLoadTicks();
        double percent = Double.isNaN(load) ? 0 : Math.max(0, Math.min(100, load * 100));
        return new Sample(percent, memory.getAvailable() / MB, memory.getTotal() / MB);
    }
}
