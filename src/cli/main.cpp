// toccata-cli: the command-line face of Toccata's core (convert, info, render, bench, …).
#include <iostream>
#include <string>
#include <vector>

#include "cli/Command.h"

namespace {

void printUsage(std::ostream& out) {
    out << "usage: toccata-cli <command> [options]\n"
           "       toccata-cli <command> --help\n\ncommands:\n";
    for (const toccata::cli::Command& c : toccata::cli::commands()) {
        std::string name = c.name;
        name.resize(12, ' ');
        out << "  " << name << c.summary << '\n';
    }
    out << "\nexit codes:\n"
           "  0  success\n"
           "  1  the operation failed\n"
           "  2  bad or missing arguments\n"
           "  3  an input file is missing, unreadable or malformed\n"
           "  4  an output file could not be written\n"
           "  5  a SoundFont, model or feature that is needed is not available\n";
}

}  // namespace

int main(int argc, char** argv) {
    using namespace toccata::cli;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        printUsage(args.empty() ? std::cerr : std::cout);
        return args.empty() ? kExitUsage : kExitOk;
    }
    if (args[0] == "--version") {
        std::cout << "toccata-cli " << TOCCATA_VERSION << '\n';
        return kExitOk;
    }
    for (const Command& c : commands()) {
        if (args[0] == c.name) {
            return c.run(std::vector<std::string>(args.begin() + 1, args.end()));
        }
    }
    std::cerr << "toccata-cli: unknown command '" << args[0] << "'\n\n";
    printUsage(std::cerr);
    return kExitUsage;
}
