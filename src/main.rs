fn main() {
    std::process::exit(shuanggao::cli::main());
}
