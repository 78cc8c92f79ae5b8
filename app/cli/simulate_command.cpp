#include "arguments.h"
#include "commands.h"
#include "progress.h"

#include "build/builder.h"
#include "io/probe_npz.h"
#include "io/project.h"
#include "sim/simulator.h"

#include <chrono>
#include <cmath>
#include <iostream>

int runSimulate(const std::vector<std::string>& args) {
    const Arguments a(args, {"--duration", "--minibatch", "--seed", "--dt", "--out"});
    if (a.positionals().size() != 1) throw core::Error("simulate needs exactly one PROJECT file");
    const auto out = a.value("--out");
    if (!out) throw core::Error("simulate needs --out FILE.npz", {}, {}, "--out");
    const std::string path = a.positionals()[0];
    const core::Project project = core::loadProject(path);
    const double duration = a.positiveNumber("--duration", project.simulation.duration);
    const double dt = a.positiveNumber("--dt", project.simulation.dt);
    const int minibatch = static_cast<int>(a.positiveInteger("--minibatch", 1));

    const auto start = std::chrono::steady_clock::now();
    core::BuiltModel built = [&] {
        try {
            return core::build(project.network, {dt, a.seed("--seed")});
        } catch (const core::Error& e) {
            throw e.inFile(path);
        }
    }();
    core::Simulator sim(std::move(built), minibatch);
    const long steps = std::lround(duration / dt);
    {
        ProgressBar progress(steps);
        constexpr long chunk = 100;
        for (long done = 0; done < steps; done += chunk) {
            sim.run(std::min(chunk, steps - done));
            progress.update(done + chunk);
        }
    }
    core::writeNpz(*out, core::probeArrays(sim));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "simulated " << duration << " s (" << steps << " steps of " << dt << " s) of '"
              << (project.title.empty() ? path : project.title) << "', minibatch " << minibatch << ", in " << seconds
              << " s; " << sim.probes().size() << " probes written to " << *out << "\n";
    return 0;
}
