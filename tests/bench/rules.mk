# Benchmarks of the hypervisor's PV paths (make bench).
BENCHES += tests/bench/pv-bench.sh
