#include "commands.h"
#include "common/error.h"

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
    "  simulate PROJECT --out FILE.npz [--duration S] [--minibatch N] [--seed S] [--dt DT]\n"
    "                [--dtype float64|float32]\n"
    "                 run the model and write every probe (key = probe label) as an array\n"
    "                 of shape (minibatch, samples, size) to a numpy .npz file; float32\n"
    "                 computes in single precision, as NengoDL does by default (faster;\n"
    "                 spike times part from float64's, which match Nengo's)\n"
    "  train PROJECT [--epochs N] [--data FILE.npz] [--params-out FILE.npz] [--frozen-out FILE.nlproj]\n"
    "                [--logdir DIR] [--dtype float64|float32] [--profile]\n"
    "                 train with the project's training set-up (or arrays in FILE.npz keyed by\n"
    "                 node id for inputs and probe id for targets); print the loss per epoch;\n"
    "                 save the parameters, or the project with them frozen in, and a\n"
    "                 TensorBoard log of the loss and parameter distributions (into DIR, or\n"
    "                 the set-up's \"logdir\" when --logdir is not given); --dtype\n"
    "                 overrides the set-up's arithmetic (float32: NengoDL's default,\n"
    "                 about twice as fast); --profile prints seconds per phase and per\n"
    "                 operator kind\n"
    "  export PROJECT --format nengo|json|nir --out FILE [--duration S] [--drop-refractory]\n"
    "                 write the built network with every parameter explicit: a Python script\n"
    "                 that runs it in Nengo 4 (data inputs, and expressions without a\n"
    "                 Python equivalent, tabled for S seconds), a project file, or a NIR\n"
    "                 graph (LIF, LI, Affine/Linear; --drop-refractory exports LIF neurons\n"
    "                 whose refractory period NIR cannot hold)\n"
    "  info PROJECT   list the objects, sizes and parameter counts\n"
    "  demo [--duration S]\n"
    "                 simulate the bundled squaring example and print what it computed\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help and exit\n"
    "  -V, --version  show the version and exit\n";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << usage;
        return 2;
    }
    const std::string command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
        if (command == "-h" || command == "--help") {
            std::cout << usage;
            return 0;
        }
        if (command == "-V" || command == "--version") {
            std::cout << "neuroloom-cli " << NEUROLOOM_VERSION << "\n";
            return 0;
        }
        if (command == "simulate") return runSimulate(rest);
        if (command == "info") return runInfo(rest);
        if (command == "train") return runTrain(rest);
        if (command == "demo") return runDemo(argv[0], rest);
        if (command == "export") return runExport(rest);
        std::cerr << "neuroloom-cli: unknown command '" << command << "'\n\n" << usage;
        return 2;
    } catch (const core::Error& e) {
        std::cerr << "neuroloom-cli " << command << ": " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "neuroloom-cli " << command << ": unexpected error: " << e.what() << "\n";
        return 1;
    }
}
