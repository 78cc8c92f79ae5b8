#include "demo.h"

#include "build/builder.h"
#include "sim/simulator.h"

#include <chrono>
#include <cmath>
#include <iomanip>

int runDemo(double duration, std::ostream& out) {
    using namespace core;
    Network net;
    net.id = net.label = "squaring";
    net.seed = 7;
    net.nodes.push_back(Node{"input", "input", 0, 1, SineWave{1.0, 1.0, 0.0, 0.0}});
    Ensemble a;
    a.id = a.label = "A";
    a.nNeurons = 200;
    Ensemble b = a;
    b.id = b.label = "B";
    net.ensembles = {a, b};
    Connection in;
    in.id = in.label = "input_to_A";
    in.pre = {"input", EndpointKind::Node};
    in.post = {"A", EndpointKind::Ensemble};
    Connection square;
    square.id = square.label = "A_squared_to_B";
    square.pre = {"A", EndpointKind::Ensemble};
    square.post = {"B", EndpointKind::Ensemble};
    square.function = FunctionExpression{{"x^2"}};
    net.connections = {in, square};
    Probe px{"p_input", "input", {"input", EndpointKind::Node}, ProbeAttribute::Output, {}, {}, {}, {}, {}};
    Probe pb{"p_B", "B (x^2)", {"B", EndpointKind::Ensemble}, ProbeAttribute::DecodedOutput, {}, LowpassSynapse{0.01},
             {}, {}, {}};
    net.probes = {px, pb};

    const auto t0 = std::chrono::steady_clock::now();
    Simulator sim(build(net));
    const long steps = std::lround(duration / sim.model().dt);
    sim.run(steps);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const Matrix x = sim.probe("p_input").series();
    const Matrix y = sim.probe("p_B").series();
    out << "NeuroLoom demo: squaring network (sine -> A (200 LIF) -> x^2 -> B (200 LIF))\n";
    out << "simulated " << duration << " s (" << steps << " steps of " << sim.model().dt * 1000 << " ms) in "
        << std::fixed << std::setprecision(3) << seconds << " s\n\n";
    out << "     t      x    x^2  decoded B\n";
    const long every = std::max(1L, steps / 10);
    for (long k = every - 1; k < steps; k += every)
        out << std::setw(6) << std::setprecision(2) << (k + 1) * sim.model().dt << std::setw(7) << std::setprecision(3)
            << x(k, 0) << std::setw(7) << x(k, 0) * x(k, 0) << std::setw(11) << y(k, 0) << "\n";
    // Compare after the synapses settle, against x^2 delayed by the filters' lag.
    double squared = 0.0;
    long counted = 0;
    const long lag = 15;
    for (long k = std::min(steps, 100L); k < steps; ++k, ++counted) {
        const double target = x(k - lag, 0) * x(k - lag, 0);
        squared += (y(k, 0) - target) * (y(k, 0) - target);
    }
    out << "\nRMS error of B against x^2 (after 0.1 s): " << std::setprecision(4)
        << (counted ? std::sqrt(squared / counted) : 0.0) << "\n";
    return 0;
}
