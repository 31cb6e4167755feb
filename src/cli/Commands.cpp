#include "cli/Command.h"

namespace toccata::cli {

extern const Command kConvertCommand;
extern const Command kInfoCommand;
extern const Command kGenerateCommand;
extern const Command kModelsCommand;
extern const Command kTrainCommand;
extern const Command kEvalCommand;
#ifdef TOCCATA_HAVE_AUDIO
extern const Command kRenderCommand;
#endif
extern const Command kBenchCommand;

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        kConvertCommand,
        kInfoCommand,
        kGenerateCommand,
        kModelsCommand,
        kTrainCommand,
        kEvalCommand,
#ifdef TOCCATA_HAVE_AUDIO
        kRenderCommand,
#endif
        kBenchCommand,
    };
    return all;
}

}  // namespace toccata::cli
