#include "ui/tools/GroovePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>

namespace toccata::ui {

void addTrackInputs(QComboBox* box) {
    box->addItem(QObject::tr("Selection, else the track"),
                 static_cast<int>(app::ClipScope::kSelectionOrTrack));
    box->addItem(QObject::tr("Whole track"), static_cast<int>(app::ClipScope::kWholeTrack));
    box->addItem(QObject::tr("Loop region"), static_cast<int>(app::ClipScope::kLoopRegion));
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(10);
}

GroovePanel::GroovePanel(app::Document& document, app::ModelLibrary& models,
                         app::GenerationService& service, app::GhostTakes& ghosts,
                         std::shared_ptr<app::VaeModelCache> cache, QWidget* parent)
    : VaeToolPanel(document, models, service, ghosts, std::move(cache), parent),
      m_input(new QComboBox(this)),
      m_amount(new QDoubleSpinBox(this)),
      m_keepHits(new QCheckBox(tr("Keep my hits"), this)) {
    setObjectName("GroovePanel");
    setIntro(
        tr("Humanizes the current drum track like a drummer played it: timing and "
           "velocity. Accepting replaces the grooved notes (one undo step)."));
    setToolName(tr("Groove"));
    addTrackInputs(m_input);
    m_amount->setRange(0.0, 1.0);
    m_amount->setSingleStep(0.1);
    m_amount->setDecimals(2);
    m_amount->setValue(1.0);
    m_amount->setToolTip(tr("0 = the drums as they are, 1 = the model's groove"));
    addRow(tr("Input"), m_input);
    m_keepHits->setChecked(true);
    m_keepHits->setToolTip(
        tr("On: every hit you wrote stays, with the model's timing and dynamics. Off: the "
           "model may also drop and add hits, as in Magenta Studio."));
    addRow(tr("Amount"), m_amount);
    addRow(QString(), m_keepHits);
    finishSetUp();
    temperatureBox()->setValue(0.0);
}

QString GroovePanel::noModelText() const {
    return tr(
        "Groove needs a GrooVAE humanize model (e.g. groovae_2bar_humanize); none is "
        "installed. Use Models… to add a folder of Magenta.js checkpoints.");
}

std::optional<VaeToolPanel::Request> GroovePanel::prepare(const ml::CatalogEntry& model,
                                                          const ToolContext& context,
                                                          uint64_t seed) {
    const app::Document& doc = document();
    const int track = context.currentTrack;
    if (track < 0 || doc.trackIndex(track) < 0) {
        setStatus(tr("Choose the drum track to groove in the track list."), true);
        return std::nullopt;
    }
    if (!doc.trackState(track).isDrum) {
        setStatus(tr("“%1” is not a drum track: Groove humanizes drums (Drumify turns a rhythm "
                     "into drums).")
                      .arg(QString::fromStdString(doc.sequence().instrumentName(track))),
                  true);
        return std::nullopt;
    }
    auto clip =
        app::trackClip(doc, track, static_cast<app::ClipScope>(m_input->currentData().toInt()),
                       context.selection, context.loop);
    if (!clip) {
        setStatus(QString::fromStdString(clip.errorMessage()), true);
        return std::nullopt;
    }
    if (const QString problem = app::vaeMeterProblem(doc, clip->region.start); !problem.isEmpty()) {
        setStatus(problem, true);
        return std::nullopt;
    }
    app::VaeGrooveRequest request;
    request.modelFolder = QString::fromStdString(model.folder);
    request.temperature = temperature();
    request.amount = m_amount->value();
    request.keepHits = m_keepHits->isChecked();
    request.seed = seed;
    Request out;
    out.job = app::makeVaeGrooveJob(cache(), request, clip->clip, clip->region.start);
    out.busyText = tr("Grooving %n note(s)…", nullptr, static_cast<int>(clip->ids.size()));
    out.target = track;
    out.ghosts.replaces = clip->ids;
    out.auditionFrom = clip->region.start;
    return out;
}

}  // namespace toccata::ui
