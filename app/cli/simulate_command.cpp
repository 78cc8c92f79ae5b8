#include "arguments.h"
#include "commands.h"
#include "progress.h"

#include "build/builder.h"
#include "io/probe_npz.h"
#include "io/project.h"
#include "sim/simulator.h"

#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>

int runSimulate(const std::vector<std::string>& args) {
    const Arguments a(args, {"--duration", "--minibatch", "--seed", "--dt", "--dtype", "--out"});
    if (a.positionals().size() != 1) throw core::Error("simulate needs exactly one PROJECT file");
    const auto out = a.value("--out");
    if (!out) throw core::Error("simulate needs --out FILE.npz", {}, {}, "--out");
    const std::string path = a.positionals()[0];
    const core::Project project = core::loadProject(path);
    const double duration = a.positiveNumber("--duration", project.simulation.duration);
    const double dt = a.positiveNumber("--dt", project.simulation.dt);
    const int minibatch = static_cast<int>(a.positiveInteger("--minibatch", 1));
    const std::string dtype = a.value("--dtype").value_or("float64");
    if (dtype != "float64" && dtype != "float32")
        throw core::Error("--dtype must be float64 or float32, not '" + dtype + "'", {}, {}, "--dtype");

    const auto start = std::chrono::steady_clock::now();
    core::BuiltModel built = [&] {
        try {
            return core::build(project.network, {dt, a.seed("--seed")});
        } catch (const core::Error& e) {
            throw e.inFile(path);
        }
    }();
    // float64 is Nengo's arithmetic; float32 is NengoDL's default, faster, and
    // rounds every signal to float (spike times part from float64's).
    const long steps = std::lround(duration / dt);
    auto run = [&](auto& sim) {
        {
            ProgressBar progress(steps);
            constexpr long chunk = 100;
            for (long done = 0; done < steps; done += chunk) {
                sim.run(std::min(chunk, steps - done));
                progress.update(done + chunk);
            }
        }
        core::writeNpz(*out, core::probeArrays(sim));
        return sim.probes().size();
    };
    size_t probes = 0;
    if (dtype == "float32") {
        core::FloatSimulator sim(std::move(built), minibatch);
        probes = run(sim);
    } else {
        core::Simulator sim(std::move(built), minibatch);
        probes = run(sim);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "simulated " << duration << " s (" << steps << " steps of " << dt << " s) of '"
              << (project.title.empty() ? path : project.title) << "', minibatch " << minibatch << ", in "
              << std::fixed << std::setprecision(seconds < 10.0 ? 3 : 1) << seconds << " s (" << dtype << "); "
              << probes << " probes written to " << *out << "\n";
    return 0;
}
