#include "ui/tools/InterpolatePanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSpinBox>

#include <algorithm>

#include "core/TempoMap.h"
#include "ui/tools/ClipSourceField.h"

namespace toccata::ui {

InterpolatePanel::InterpolatePanel(app::Document& document, app::ModelLibrary& models,
                                   app::GenerationService& service, app::GhostTakes& ghosts,
                                   std::shared_ptr<app::VaeModelCache> cache, QWidget* parent)
    : VaeToolPanel(document, models, service, ghosts, std::move(cache), parent),
      m_from(new ClipSourceField(document, 0, this)),
      m_to(new ClipSourceField(document, 1, this)),
      m_steps(new QSpinBox(this)),
      m_path(new QComboBox(this)),
      m_layout(new QComboBox(this)),
      m_place(new QComboBox(this)) {
    setObjectName("InterpolatePanel");
    m_from->setObjectName("InterpolateFrom");
    m_to->setObjectName("InterpolateTo");
    setIntro(
        tr("Morphs clip A into clip B through a MusicVAE model: the first and last results "
           "are the model's versions of A and B. Drop MIDI files on A or B."));
    setToolName(tr("Interpolate"));
    m_steps->setRange(1, 16);
    m_steps->setValue(5);
    m_steps->setToolTip(tr("How many clips, counting A and B themselves"));
    m_path->addItem(tr("Straight line (Magenta.js)"), false);
    m_path->addItem(tr("Spherical (slerp)"), true);
    m_layout->addItem(tr("Separate clips to flip through"),
                      static_cast<int>(Layout::kSeparateClips));
    m_layout->addItem(tr("One clip, one after another"), static_cast<int>(Layout::kOneClip));
    m_place->addItem(tr("At the playhead"), static_cast<int>(Place::kPlayhead));
    m_place->addItem(tr("After the song"), static_cast<int>(Place::kAfterTheSong));
    for (QComboBox* box : {m_path, m_layout, m_place}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(10);
    }
    addRow(tr("A"), m_from);
    addRow(tr("B"), m_to);
    addRow(tr("Steps"), m_steps);
    addRow(tr("Path"), m_path);
    addRow(tr("Results"), m_layout);
    addRow(tr("Place"), m_place);
    finishSetUp();
    temperatureBox()->setValue(0.0);  // Magenta.js interpolates with argmax
    for (ClipSourceField* field : {m_from, m_to})
        connect(field, &ClipSourceField::fileRejected, this,
                [this](const QString& message) { setStatus(message, true); });
}

QString InterpolatePanel::noModelText() const {
    return tr(
        "Interpolate needs a MusicVAE melody, drum or trio model (e.g. mel_2bar_small or "
        "drums_2bar_lokl); none is installed. Use Models… to add a folder of Magenta.js "
        "checkpoints.");
}

std::optional<VaeToolPanel::Request> InterpolatePanel::prepare(const ml::CatalogEntry& model,
                                                               const ToolContext& context,
                                                               uint64_t seed) {
    auto from = m_from->clip(context);
    if (!from) {
        setStatus(tr("A: %1").arg(QString::fromStdString(from.errorMessage())), true);
        return std::nullopt;
    }
    auto to = m_to->clip(context);
    if (!to) {
        setStatus(tr("B: %1").arg(QString::fromStdString(to.errorMessage())), true);
        return std::nullopt;
    }
    const app::Document& doc = document();
    double placeAt = 0.0;
    if (static_cast<Place>(m_place->currentData().toInt()) == Place::kAfterTheSong) {
        const core::MeterMap meter(doc.sequence());
        double end = 0.0;
        for (const core::Note& n : doc.sequence().notes) end = std::max(end, n.endTime);
        placeAt = meter.barStartSeconds(meter.barCount(end));
    } else {
        placeAt = app::barRegion(doc, context.playheadSeconds, context.playheadSeconds).start;
    }
    if (const QString problem = app::vaeMeterProblem(doc, placeAt); !problem.isEmpty()) {
        setStatus(problem, true);
        return std::nullopt;
    }
    const app::VaeKind kind = app::vaeKindOf(model.spec);
    app::VaeInterpolateRequest request;
    request.modelFolder = QString::fromStdString(model.folder);
    request.steps = m_steps->value();
    request.temperature = temperature();
    request.spherical = m_path->currentData().toBool();
    request.seed = seed;
    request.oneClip = static_cast<Layout>(m_layout->currentData().toInt()) == Layout::kOneClip;
    request.qpm = core::TempoMap(doc.sequence()).qpmAt(placeAt);
    Request out;
    out.job = app::makeVaeInterpolateJob(cache(), request, *from, *to, placeAt);
    out.busyText = tr("Interpolating %n step(s)…", nullptr, request.steps);
    out.target = -1;
    out.ghosts = app::vaeNewTracks(model.spec, kind);
    out.auditionFrom = placeAt;
    return out;
}

}  // namespace toccata::ui
