fn main() {
    std::process::exit(shuanggao::cmd::main());
}
