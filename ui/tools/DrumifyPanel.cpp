#include "ui/tools/DrumifyPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/TempoMap.h"
#include "ui/tools/GroovePanel.h"
#include "ui/tools/TapPad.h"

namespace toccata::ui {

DrumifyPanel::DrumifyPanel(app::Document& document, app::ModelLibrary& models,
                           app::GenerationService& service, app::GhostTakes& ghosts,
                           std::shared_ptr<app::VaeModelCache> cache, QWidget* parent)
    : VaeToolPanel(document, models, service, ghosts, std::move(cache), parent),
      m_input(new QComboBox(this)),
      m_tap(new QPushButton(tr("Tap rhythm"), this)),
      m_pad(new TapPad(this)) {
    setObjectName("DrumifyPanel");
    setIntro(
        tr("Turns a rhythm into a drum beat: the notes of the current track, or a rhythm "
           "you tap on any key. The beat lands on a new drum track."));
    setToolName(tr("Drumify"));
    addTrackInputs(m_input);
    m_input->addItem(tr("Tapped rhythm"), kTapped);
    m_tap->setCheckable(true);
    m_tap->setToolTip(
        tr("Record a rhythm: tap any key on the pad below, Enter stops. The first "
           "tap falls on the bar line at the playhead."));
    auto* tapBox = new QWidget(this);
    auto* tapLayout = new QVBoxLayout(tapBox);
    tapLayout->setContentsMargins(0, 0, 0, 0);
    tapLayout->addWidget(m_tap);
    tapLayout->addWidget(m_pad);
    addRow(tr("Rhythm"), m_input);
    addRow(tr("Tap"), tapBox);
    finishSetUp();
    temperatureBox()->setValue(0.0);
    connect(m_tap, &QPushButton::toggled, m_pad, &TapPad::setRecording);
    connect(m_pad, &TapPad::recordingChanged, this, [this](bool recording) {
        m_tap->setChecked(recording);
        m_tap->setText(recording ? tr("Stop tapping") : tr("Tap rhythm"));
        if (recording) m_input->setCurrentIndex(m_input->findData(kTapped));
    });
}

QString DrumifyPanel::noModelText() const {
    return tr(
        "Drumify needs a GrooVAE tap2drum model (e.g. groovae_tap2drum_2bar, a "
        "GrooveConverter with tapify); none is installed. Use Models… to add a folder of "
        "Magenta.js checkpoints.");
}

std::optional<VaeToolPanel::Request> DrumifyPanel::prepare(const ml::CatalogEntry& model,
                                                           const ToolContext& context,
                                                           uint64_t seed) {
    const app::Document& doc = document();
    core::NoteSequence rhythm;
    double placeAt = 0.0;
    if (m_input->currentData().toInt() == kTapped) {
        m_pad->setRecording(false);
        if (m_pad->taps().empty()) {
            setStatus(tr("Tap a rhythm first: press Tap rhythm, then tap any key."), true);
            return std::nullopt;
        }
        placeAt = app::barRegion(doc, context.playheadSeconds, context.playheadSeconds).start;
        const core::BarBeat at = core::MeterMap(doc.sequence()).barBeatAtSeconds(placeAt);
        rhythm = app::tapRhythm(m_pad->taps(), core::TempoMap(doc.sequence()).qpmAt(placeAt),
                                at.signature);
    } else {
        const int track = context.currentTrack;
        if (track < 0 || doc.trackIndex(track) < 0) {
            setStatus(tr("Choose the track whose rhythm to drumify in the track list."), true);
            return std::nullopt;
        }
        auto clip =
            app::trackClip(doc, track, static_cast<app::ClipScope>(m_input->currentData().toInt()),
                           context.selection, context.loop);
        if (!clip) {
            setStatus(QString::fromStdString(clip.errorMessage()), true);
            return std::nullopt;
        }
        rhythm = std::move(clip->clip);
        placeAt = clip->region.start;
    }
    if (const QString problem = app::vaeMeterProblem(doc, placeAt); !problem.isEmpty()) {
        setStatus(problem, true);
        return std::nullopt;
    }
    app::VaeGrooveRequest request;
    request.modelFolder = QString::fromStdString(model.folder);
    request.drumify = true;
    request.temperature = temperature();
    request.seed = seed;
    Request out;
    out.job = app::makeVaeGrooveJob(cache(), request, rhythm, placeAt);
    out.busyText = tr("Drumifying %n hit(s)…", nullptr, static_cast<int>(rhythm.notes.size()));
    out.target = -1;
    out.ghosts = app::vaeNewTracks(model.spec, app::VaeKind::kTapToDrums);
    out.auditionFrom = placeAt;
    return out;
}

}  // namespace toccata::ui
