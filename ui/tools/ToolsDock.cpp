#include "ui/tools/ToolsDock.h"

#include <QCoreApplication>
#include <QLabel>
#include <QVBoxLayout>

namespace toccata::ui {

namespace {

struct ToolText {
    const char* name;
    const char* what;
};

// What each tool does, in the words a musician would use.
constexpr ToolText kTools[] = {
    {QT_TRANSLATE_NOOP("ToolsDock", "Continue"),
     QT_TRANSLATE_NOOP("ToolsDock",
                       "Extends the selected track or region with a melody or drum model: "
                       "1–8 variations, 1–32 bars, temperature, key lock and seed. Results appear "
                       "as ghost notes you can audition and accept.")},
    {QT_TRANSLATE_NOOP("ToolsDock", "Generate"),
     QT_TRANSLATE_NOOP("ToolsDock",
                       "Writes new melodies, drum patterns or trios from nothing, with the same "
                       "controls as Continue.")},
    {QT_TRANSLATE_NOOP("ToolsDock", "Interpolate"),
     QT_TRANSLATE_NOOP("ToolsDock",
                       "Blends two clips through MusicVAE's latent space into a sequence of "
                       "in-between clips.")},
    {QT_TRANSLATE_NOOP("ToolsDock", "Groove"),
     QT_TRANSLATE_NOOP("ToolsDock",
                       "Humanizes a quantized drum track with GrooVAE: timing and velocity like "
                       "a drummer played it.")},
    {QT_TRANSLATE_NOOP("ToolsDock", "Drumify"),
     QT_TRANSLATE_NOOP("ToolsDock",
                       "Turns the rhythm of any track into a drum beat with GrooVAE.")},
    {QT_TRANSLATE_NOOP("ToolsDock", "Piano Genie"),
     QT_TRANSLATE_NOOP("ToolsDock",
                       "Play the piano with 8 buttons (computer keys 1–8 or a MIDI controller); "
                       "the model picks the notes.")},
};

QWidget* placeholderPage(int tool) {
    auto* page = new QWidget;
    page->setProperty("toccataPlaceholder", true);
    auto* layout = new QVBoxLayout(page);
    auto* what = new QLabel(QCoreApplication::translate("ToolsDock", kTools[tool].what), page);
    what->setWordWrap(true);
    auto* status = new QLabel(
        QCoreApplication::translate("ToolsDock",
                                    "<i>Not available yet: this build has no %1 model.</i>")
            .arg(QCoreApplication::translate("ToolsDock", kTools[tool].name)),
        page);
    status->setWordWrap(true);
    status->setObjectName("ToolStatus");
    layout->addWidget(what);
    layout->addWidget(status);
    layout->addStretch(1);
    return page;
}

}  // namespace

ToolsDock::ToolsDock(QWidget* parent) : QToolBox(parent) {
    for (int tool = 0; tool < kToolCount; ++tool)
        addItem(placeholderPage(tool), toolName(static_cast<Tool>(tool)));
}

QString ToolsDock::toolName(Tool tool) {
    return QCoreApplication::translate("ToolsDock", kTools[tool].name);
}

void ToolsDock::setPanel(Tool tool, QWidget* panel) {
    QWidget* old = widget(tool);
    const bool wasCurrent = currentIndex() == tool;
    removeItem(tool);
    delete old;
    insertItem(tool, panel, toolName(tool));
    if (wasCurrent) setCurrentIndex(tool);
}

bool ToolsDock::isPlaceholder(Tool tool) const {
    const QWidget* page = widget(tool);
    return page && page->property("toccataPlaceholder").toBool();
}

}  // namespace toccata::ui
