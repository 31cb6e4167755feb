// The Toccata desktop app: `toccata [FILE.mid]`.
#include <QApplication>
#include <QCommandLineParser>

#include "ui/MainWindow.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("Toccata");
    QApplication::setOrganizationName("Toccata");
    QApplication::setApplicationVersion(TOCCATA_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("Desktop studio for music co-creation with generative models");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file", "MIDI file (.mid/.midi) or NoteSequence (.json) to open");
    parser.process(app);

    toccata::ui::MainWindow window;
    window.show();
    const bool restored = window.offerRecovery();  // after a crash: offer the unsaved work
    if (!restored && !parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().first());
    return QApplication::exec();
}
