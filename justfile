# The same commands as the README, for people who have `just`.

# Run the quarterly report on the shipped sample inputs.
report *ARGS:
    cargo run --release -- report {{ARGS}}

# Check the latest quarter's returns (or pass --period / files).
check *ARGS:
    cargo run --release -- check {{ARGS}}

# Run the whole test suite.
test:
    cargo test --release

# Regenerate the synthetic sample returns (示例数据) in inputs/returns.
sample:
    cargo run --release -- sample

# Formatting and lints, as CI expects them.
lint:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings
