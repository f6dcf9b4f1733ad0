// lyra-bench: measures Lyra's training and inference throughput on the reference models.
// Run through scripts/bench/train (release build).
print("lyra-bench: not implemented yet")
