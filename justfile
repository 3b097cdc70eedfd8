# The same commands as the README, for people who have `just`.

# Run the quarterly report on the shipped sample inputs.
report *ARGS:
    cargo run --release -- report {{ARGS}}

# Check the latest quarter's returns (or pass --period / files).
check *ARGS:
    cargo run --release -- check {{ARGS}}

# Who has reported this quarter (text; add --format json for machines).
status *ARGS:
    cargo run --release -- status {{ARGS}}

# 核查优先清单: the quarter's values to question first (--top N, --format json).
review *ARGS:
    cargo run --release -- review {{ARGS}}

# Next quarter's return templates for every zone (or --zone Z).
template *ARGS:
    cargo run --release -- template {{ARGS}}

# The portal on the sample with demo accounts (示例; passwords printed).
serve *ARGS:
    cargo run --release -- serve {{ARGS}}

# Portal accounts: add, list, disable, reset, token, audit.
account *ARGS:
    cargo run --release -- account {{ARGS}}

# Speed and memory goals (whole report < 3 s; hostile files F01 < 1 s, flat memory).
bench:
    cargo bench

# Run the whole test suite.
test:
    cargo test --release

# Regenerate the synthetic sample returns (示例数据) in inputs/returns.
sample:
    cargo run --release -- sample

# Rebuild the 全面覆盖 example (61 zones, 示例数据): its config is
# inputs/config with the 43 synthetic zones (the tail of its registry.toml)
# added, its returns 2025Q3–2027Q4 made by `sample` (tests/examples.rs).
example:
    #!/usr/bin/env bash
    set -euo pipefail
    ex=inputs/examples/全面覆盖
    zones=$(sed -n '/^# ---- 示例高新区/,$p' "$ex/config/registry.toml")
    cp inputs/config/*.toml "$ex/config/"
    { cat inputs/config/registry.toml; echo; echo "$zones"; } > "$ex/config/registry.toml"
    rm -rf "$ex/returns"
    cargo run --release -- sample --config "$ex/config" --out "$ex/returns" --quarters 10

# Formatting and lints, as CI expects them.
lint:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings
