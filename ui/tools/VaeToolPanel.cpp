#include "ui/tools/VaeToolPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

#include "app/ModelLibrary.h"

namespace toccata::ui {

namespace {

QString tooltipFor(const ml::CatalogEntry& e) {
    QString tip = QString::fromStdString(e.spec.description);
    const int bars = app::vaeNativeBars(e.spec);
    if (bars > 0)
        tip += (tip.isEmpty() ? "" : "\n") + QObject::tr("%n bar(s) per phrase", nullptr, bars);
    if (const core::JsonValue* source = e.spec.provenance.find("source");
        source && source->isString())
        tip += (tip.isEmpty() ? "" : "\n") + QString::fromStdString(source->asString());
    tip += (tip.isEmpty() ? "" : "\n") + QString::fromStdString(e.folder);
    return tip;
}

}  // namespace

VaeToolPanel::VaeToolPanel(app::Document& document, app::ModelLibrary& models,
                           app::GenerationService& service, app::GhostTakes& ghosts,
                           std::shared_ptr<app::VaeModelCache> cache, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_models(models),
      m_service(service),
      m_ghosts(ghosts),
      m_cache(std::move(cache)),
      m_intro(new QLabel(this)),
      m_form(new QFormLayout),
      m_layout(new QVBoxLayout(this)),
      m_model(new QComboBox(this)),
      m_temperature(new QDoubleSpinBox(this)),
      m_seed(new QSpinBox(this)),
      m_randomSeed(new QCheckBox(tr("Random"), this)),
      m_playResults(new QCheckBox(tr("Play the results"), this)),
      m_run(new QPushButton(this)),
      m_cancel(new QPushButton(tr("Cancel"), this)),
      m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)) {
    m_intro->setWordWrap(true);
    auto* manage = new QPushButton(tr("Models…"), this);
    manage->setToolTip(tr("Add folders of models, e.g. downloaded Magenta.js checkpoints"));
    connect(manage, &QPushButton::clicked, this, &VaeToolPanel::manageModelsRequested);
    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(manage);
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setMinimumContentsLength(10);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->addRow(tr("Model"), modelRow);
    m_layout->addWidget(m_intro);
    m_layout->addLayout(m_form);
}

void VaeToolPanel::setIntro(const QString& text) { m_intro->setText(text); }

void VaeToolPanel::setToolName(const QString& name) {
    m_toolName = name;
    m_run->setText(name);
}

void VaeToolPanel::addRow(const QString& label, QWidget* field) { m_form->addRow(label, field); }

void VaeToolPanel::addWidget(QWidget* widget) { m_layout->addWidget(widget); }

void VaeToolPanel::finishSetUp() {
    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    m_temperature->setToolTip(tr("0 = always the most likely output; higher = wilder"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setEnabled(false);
    m_randomSeed->setChecked(true);
    m_randomSeed->setToolTip(tr("Untick to repeat a result: the same seed gives the same notes"));
    connect(m_randomSeed, &QCheckBox::toggled, m_seed,
            [this](bool random) { m_seed->setEnabled(!random); });
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(m_randomSeed);
    m_form->addRow(tr("Temperature"), m_temperature);
    m_form->addRow(tr("Seed"), seedRow);

    m_playResults->setChecked(true);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_cancel->setEnabled(false);
    m_status->setWordWrap(true);
    m_status->setObjectName("ToolStatus");
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run, 1);
    buttons->addWidget(m_cancel);
    m_layout->addWidget(m_playResults);
    m_layout->addLayout(buttons);
    m_layout->addWidget(m_progress);
    m_layout->addWidget(m_status);
    m_layout->addStretch(1);

    connect(m_run, &QPushButton::clicked, this, [this] { run(); });
    connect(m_cancel, &QPushButton::clicked, this, &VaeToolPanel::cancel);
    connect(m_model, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &VaeToolPanel::updateForModel);
    connect(&m_models, &app::ModelLibrary::changed, this, &VaeToolPanel::fillModels);
    connect(&m_service, &app::GenerationService::progress, this,
            [this](quint64 id, qint64 done, qint64 total) {
                if (id != m_requestId) return;
                // One-shot jobs report 0 of 1: stay busy rather than show 0 %.
                if (total <= 1 && done < total) return;
                m_progress->setRange(0, static_cast<int>(std::max<qint64>(1, total)));
                m_progress->setValue(static_cast<int>(done));
            });
    connect(&m_service, &app::GenerationService::finished, this, &VaeToolPanel::onFinished);
    connect(&m_service, &app::GenerationService::failed, this,
            [this](quint64 id, const QString& message) {
                if (id != m_requestId) return;
                finishRequest();
                setStatus(tr("%1 failed: %2").arg(m_label, message), true);
            });
    connect(&m_service, &app::GenerationService::cancelled, this, [this](quint64 id) {
        if (id != m_requestId) return;
        finishRequest();
        setStatus(tr("Cancelled."));
    });
    fillModels();
}

QString VaeToolPanel::statusText() const { return m_status->text(); }

void VaeToolPanel::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

const ml::CatalogEntry* VaeToolPanel::currentModel() const {
    return m_models.find(m_model->currentData().toString());
}

double VaeToolPanel::temperature() const { return m_temperature->value(); }

void VaeToolPanel::fillModels() {
    const QString previous = m_model->currentData().toString();
    m_model->blockSignals(true);
    m_model->clear();
    for (const ml::CatalogEntry& e : m_models.usable("music_vae")) {
        if (!offers(app::vaeKindOf(e.spec))) continue;
        m_model->addItem(QString::fromStdString(e.spec.id), QString::fromStdString(e.folder));
        m_model->setItemData(m_model->count() - 1, tooltipFor(e), Qt::ToolTipRole);
    }
    const int again = m_model->findData(previous);
    if (again >= 0) m_model->setCurrentIndex(again);
    m_model->blockSignals(false);
    updateForModel();
}

void VaeToolPanel::updateForModel() {
    const ml::CatalogEntry* e = currentModel();
    m_run->setEnabled(e && !isRunning());
    m_model->setToolTip(e ? tooltipFor(*e) : QString());
    modelChanged(e);
    if (!e)
        setStatus(noModelText());
    else if (!isRunning())
        setStatus({});
}

bool VaeToolPanel::run() {
    const ml::CatalogEntry* entry = currentModel();
    if (!entry) {
        updateForModel();
        return false;
    }
    const ToolContext context = m_context ? m_context() : ToolContext{};
    const int previousSeed = m_seed->value();
    if (m_randomSeed->isChecked())
        m_seed->setValue(static_cast<int>(QRandomGenerator::global()->bounded(1 << 30)));
    std::optional<Request> request =
        prepare(*entry, context, static_cast<uint64_t>(m_seed->value()));
    if (!request) {
        m_seed->setValue(previousSeed);  // nothing ran: nothing changes
        return false;
    }
    m_seedUsed = static_cast<uint64_t>(m_seed->value());
    m_label = QStringLiteral("%1 · %2").arg(m_toolName, QString::fromStdString(entry->spec.id));
    m_requestId = m_service.submit(m_label, std::move(request->job));
    request->job = nullptr;
    m_request = std::move(*request);
    m_run->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, 0);  // busy until the first progress report
    setStatus(m_request.busyText);
    return true;
}

void VaeToolPanel::cancel() {
    if (isRunning()) m_service.cancel();
}

void VaeToolPanel::finishRequest() {
    m_requestId = 0;
    m_cancel->setEnabled(false);
    m_run->setEnabled(currentModel() != nullptr);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
}

void VaeToolPanel::onFinished(quint64 id, const std::vector<core::NoteSequence>& results) {
    if (id != m_requestId) return;
    finishRequest();
    int notes = 0;
    for (const core::NoteSequence& take : results) notes += static_cast<int>(take.notes.size());
    if (notes == 0) {
        setStatus(tr("The model answered with silence only (seed %1); try a higher temperature "
                     "or another seed.")
                      .arg(m_seedUsed));
        return;
    }
    m_ghosts.setTakes(m_request.target, results, m_label, m_request.ghosts);
    const int count = static_cast<int>(results.size());
    setStatus(count == 1 ? tr("Done, seed %1. Enter accepts, Esc discards; drag the MIDI handle "
                              "above the roll into a DAW.")
                               .arg(m_seedUsed)
                         : tr("%n take(s), seed %1. [ and ] flip through them, Enter accepts, "
                              "Esc discards.",
                              nullptr, count)
                               .arg(m_seedUsed));
    emit resultsShown(m_request.auditionFrom, m_playResults->isChecked());
}

}  // namespace toccata::ui
