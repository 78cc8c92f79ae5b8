#include "arguments.h"
#include "commands.h"

#include "build/builder.h"
#include "io/examples.h"
#include "io/project.h"
#include "sim/simulator.h"

#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>

// The headless demo: the bundled squaring example, simulated, with what it
// computed printed beside the exact x^2.
int runDemo(const std::string& executable, const std::vector<std::string>& args) {
    const Arguments a(args, {"--duration"});
    const std::string path = core::examplesDirectory(executable) + "/squaring.nlproj";
    const core::Project project = core::loadProject(path);
    const double duration = a.positiveNumber("--duration", project.simulation.duration);

    const auto t0 = std::chrono::steady_clock::now();
    core::Simulator sim(core::build(project.network, {project.simulation.dt, {}}));
    const long steps = std::lround(duration / sim.model().dt);
    sim.run(steps);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const core::Matrix x = sim.probe("p_input").series();
    const core::Matrix y = sim.probe("p_B").series();
    std::cout << "NeuroLoom demo: " << project.title << " (" << path << ")\n" << project.description << "\n\n";
    std::cout << "built and simulated " << duration << " s (" << steps << " steps of " << sim.model().dt * 1000
              << " ms) in " << std::fixed << std::setprecision(3) << seconds << " s\n\n";
    std::cout << "     t   input x      x^2   B decodes\n";
    const long every = std::max(1L, steps / 10);
    for (long k = every - 1; k < steps; k += every)
        std::cout << std::setw(6) << std::setprecision(2) << (k + 1) * sim.model().dt << std::setw(10)
                  << std::setprecision(3) << x(k, 0) << std::setw(9) << x(k, 0) * x(k, 0) << std::setw(12) << y(k, 0)
                  << "\n";
    // Compare after the synapses settle, against x^2 delayed by the filters' lag (about 15 ms).
    constexpr long lag = 15;
    double squared = 0.0;
    long counted = 0;
    for (long k = std::min(steps, 100L); k < steps; ++k, ++counted) {
        const double target = x(k - lag, 0) * x(k - lag, 0);
        squared += (y(k, 0) - target) * (y(k, 0) - target);
    }
    std::cout << "\nRMS error of B against x^2 (after 0.1 s): " << std::setprecision(4)
              << (counted ? std::sqrt(squared / counted) : 0.0) << "\n";
    return 0;
}
