#include "common/error.h"
#include "demo.h"

#include <iostream>
#include <string>
#include <vector>

namespace {

const char* usage =
    "Usage: neuroloom-cli [--help] [--version] COMMAND [OPTIONS]\n"
    "\n"
    "Runs NeuroLoom's engine without a window.\n"
    "\n"
    "Commands:\n"
    "  demo [--duration SECONDS]   build and simulate the squaring example, print what it computed\n"
    "\n"
    "Options:\n"
    "  -h, --help      show this help and exit\n"
    "  -V, --version   show the version and exit\n";

double parseSeconds(const std::string& text, const std::string& option) {
    try {
        size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size() && v > 0.0) return v;
    } catch (const std::exception&) {
    }
    throw core::Error("expected a positive number of seconds, got '" + text + "'", {}, {}, option);
}

int demo(const std::vector<std::string>& args) {
    double duration = 2.0;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--duration" && i + 1 < args.size())
            duration = parseSeconds(args[++i], "--duration");
        else
            throw core::Error("unknown option '" + args[i] + "' for demo");
    }
    return runDemo(duration, std::cout);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << usage;
        return 2;
    }
    try {
        const std::string command = args[0];
        if (command == "-h" || command == "--help") {
            std::cout << usage;
            return 0;
        }
        if (command == "-V" || command == "--version") {
            std::cout << "neuroloom-cli " << NEUROLOOM_VERSION << "\n";
            return 0;
        }
        if (command == "demo") return demo({args.begin() + 1, args.end()});
        std::cerr << "neuroloom-cli: unknown command '" << command << "'\n\n" << usage;
        return 2;
    } catch (const core::Error& e) {
        std::cerr << "neuroloom-cli: " << e.what() << "\n";
        return 1;
    }
}
