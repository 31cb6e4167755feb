#include "ui/tools/RnnToolPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "app/GenerationService.h"
#include "app/GhostTakes.h"
#include "app/ModelLibrary.h"
#include "app/VaeGeneration.h"
#include "core/TempoMap.h"
#include "ml/codecs/ChordSymbol.h"
#include "ui/tools/ContinueInput.h"
#include "ui/tools/PianoControls.h"

namespace toccata::ui {

namespace {

constexpr const char* kKeyNames[] = {"C",  "C#", "D",  "Eb", "E",  "F",
                                     "F#", "G",  "Ab", "A",  "Bb", "B"};

bool codecIsDrums(const ml::ModelSpec& spec) {
    const core::JsonValue* encoding = spec.codec.find("encoding");
    return encoding && encoding->isString() && encoding->asString().rfind("drums", 0) == 0;
}

bool codecHasChords(const ml::ModelSpec& spec) {
    return spec.codec.find("chordEncoding") != nullptr;
}

QString describe(const ml::CatalogEntry& e) {
    QString text = QString::fromStdString(e.spec.id);
    if (!e.spec.config.empty() && e.spec.config != e.spec.id)
        text += QStringLiteral(" — %1").arg(QString::fromStdString(e.spec.config));
    return text;
}

QString pianoLabel(const ml::CatalogEntry& e) {
    return QStringLiteral("%1 (%2)").arg(QString::fromStdString(e.spec.id),
                                         app::pianoTraitsOf(e.spec).familyName);
}

QString vaeLabel(const ml::CatalogEntry& e) {
    return QObject::tr("%1 (MusicVAE)").arg(QString::fromStdString(e.spec.id));
}

QString tooltipFor(const ml::CatalogEntry& e) {
    QString tip = QString::fromStdString(e.spec.description);
    if (const core::JsonValue* corpus = e.spec.provenance.find("corpus");
        corpus && corpus->isString())
        tip += (tip.isEmpty() ? "" : "\n") +
               QObject::tr("Trained on: %1").arg(QString::fromStdString(corpus->asString()));
    else if (const core::JsonValue* source = e.spec.provenance.find("source");
             source && source->isString())
        tip += (tip.isEmpty() ? "" : "\n") + QString::fromStdString(source->asString());
    tip += (tip.isEmpty() ? "" : "\n") + QString::fromStdString(e.folder);
    return tip;
}

}  // namespace

RnnToolPanel::RnnToolPanel(Mode mode, app::Document& document, app::ModelLibrary& models,
                           app::GenerationService& service, app::GhostTakes& ghosts,
                           std::shared_ptr<app::RnnModelCache> cache, QWidget* parent)
    : QWidget(parent),
      m_mode(mode),
      m_document(document),
      m_models(models),
      m_service(service),
      m_ghosts(ghosts),
      m_cache(std::move(cache)),
      m_model(new QComboBox(this)),
      m_variations(new QSpinBox(this)),
      m_bars(new QSpinBox(this)),
      m_temperature(new QDoubleSpinBox(this)),
      m_seed(new QSpinBox(this)),
      m_randomSeed(new QCheckBox(tr("Random"), this)),
      m_keyLock(new QCheckBox(tr("Lock to"), this)),
      m_key(new QComboBox(this)),
      m_scale(new QComboBox(this)),
      m_chordsLabel(new QLabel(tr("Chords"), this)),
      m_chords(new QLineEdit(this)),
      m_playResults(new QCheckBox(tr("Play the results"), this)),
      m_run(new QPushButton(mode == Mode::kContinue ? tr("Continue") : tr("Generate"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)),
      m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)) {
    const bool continuing = mode == Mode::kContinue;
    setObjectName(continuing ? "ContinuePanel" : "GeneratePanel");
    auto* intro = new QLabel(
        continuing ? tr("Extends the selected notes, the current track or the loop region with "
                        "a melody, drum, improv or piano model.")
                   : tr("Writes new bars at the playhead into a new track."),
        this);
    intro->setWordWrap(true);

    auto* manage = new QPushButton(tr("Models…"), this);
    manage->setToolTip(tr("Add folders of models, e.g. downloaded Magenta.js checkpoints"));
    connect(manage, &QPushButton::clicked, this, &RnnToolPanel::manageModelsRequested);
    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(manage);

    m_variations->setRange(1, continuing ? 8 : 16);
    m_variations->setValue(4);
    m_bars->setRange(1, continuing ? 32 : 64);
    m_bars->setValue(continuing ? 4 : 2);
    m_bars->setSuffix(tr(" bars"));
    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    m_temperature->setValue(1.0);
    m_temperature->setToolTip(tr("0 = always the most likely note; higher = wilder"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setEnabled(false);
    m_randomSeed->setChecked(true);
    m_randomSeed->setToolTip(tr("Untick to repeat a result: the same seed gives the same notes"));
    connect(m_randomSeed, &QCheckBox::toggled, m_seed,
            [this](bool random) { m_seed->setEnabled(!random); });
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(m_randomSeed);

    for (const char* key : kKeyNames) m_key->addItem(QString::fromLatin1(key));
    for (ml::Scale s : {ml::Scale::kMajor, ml::Scale::kNaturalMinor, ml::Scale::kHarmonicMinor,
                        ml::Scale::kDorian, ml::Scale::kMixolydian, ml::Scale::kMajorPentatonic,
                        ml::Scale::kMinorPentatonic, ml::Scale::kBlues}) {
        QString name = QString::fromLatin1(ml::KeyScale::scaleName(s)).replace('-', ' ');
        m_scale->addItem(name, static_cast<int>(s));
    }
    m_key->setEnabled(false);
    m_scale->setEnabled(false);
    connect(m_keyLock, &QCheckBox::toggled, this, [this](bool on) {
        m_key->setEnabled(on);
        m_scale->setEnabled(on);
    });
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(m_keyLock);
    keyRow->addWidget(m_key);
    keyRow->addWidget(m_scale, 1);

    m_chords->setPlaceholderText(tr("e.g. C G Am F (one bar each, repeated)"));
    m_playResults->setChecked(true);

    // The dock is narrow: long entries elide instead of widening the panel.
    for (QComboBox* box : {m_model, m_key, m_scale}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(box == m_model ? 10 : 3);
    }
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Model"), modelRow);
    if (continuing) {
        m_input = new QComboBox(this);
        m_input->addItem(tr("Selection, else the track"),
                         static_cast<int>(Input::kSelectionOrTrack));
        m_input->addItem(tr("Whole track"), static_cast<int>(Input::kWholeTrack));
        m_input->addItem(tr("Loop region"), static_cast<int>(Input::kLoopRegion));
        m_input->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        m_input->setMinimumContentsLength(10);
        form->addRow(tr("Input"), m_input);
        m_pianoCache = std::make_shared<app::PianoModelCache>();
        m_piano = new PianoControls(this);
        connect(m_piano, &PianoControls::lengthUnitChanged, this,
                [this](bool seconds) { m_bars->setEnabled(!seconds); });
    }
    form->addRow(tr("Variations"), m_variations);
    form->addRow(tr("Length"), m_bars);
    form->addRow(tr("Temperature"), m_temperature);
    form->addRow(tr("Seed"), seedRow);
    form->addRow(tr("Key"), keyRow);
    form->addRow(m_chordsLabel, m_chords);
    if (m_piano) form->addRow(m_piano);

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

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_playResults);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addStretch(1);

    connect(m_run, &QPushButton::clicked, this, [this] { run(); });
    connect(m_cancel, &QPushButton::clicked, this, &RnnToolPanel::cancel);
    connect(m_model, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &RnnToolPanel::updateForModel);
    connect(&m_models, &app::ModelLibrary::changed, this, &RnnToolPanel::fillModels);

    connect(&m_service, &app::GenerationService::progress, this,
            [this](quint64 id, qint64 done, qint64 total) {
                if (id != m_requestId) return;
                m_progress->setRange(0, static_cast<int>(std::max<qint64>(1, total)));
                m_progress->setValue(static_cast<int>(done));
            });
    connect(&m_service, &app::GenerationService::finished, this, &RnnToolPanel::onFinished);
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

QString RnnToolPanel::statusText() const { return m_status->text(); }

void RnnToolPanel::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

void RnnToolPanel::setVaeCache(std::shared_ptr<app::VaeModelCache> cache) {
    m_vaeCache = std::move(cache);
    fillModels();
}

bool RnnToolPanel::isVae(const ml::CatalogEntry* entry) const {
    return entry && entry->spec.family == "music_vae";
}

void RnnToolPanel::fillModels() {
    const QString previous = m_model->currentData().toString();
    m_model->blockSignals(true);
    m_model->clear();
    for (const ml::CatalogEntry& e : m_models.usable("music_rnn")) {
        m_model->addItem(describe(e), QString::fromStdString(e.folder));
        m_model->setItemData(m_model->count() - 1, tooltipFor(e), Qt::ToolTipRole);
    }
    if (m_piano) {
        bool first = true;
        for (const std::string& family : app::pianoFamilies()) {
            for (const ml::CatalogEntry& e : m_models.usable(family)) {
                if (first && m_model->count() > 0) m_model->insertSeparator(m_model->count());
                first = false;
                m_model->addItem(pianoLabel(e), QString::fromStdString(e.folder));
                m_model->setItemData(m_model->count() - 1, tooltipFor(e), Qt::ToolTipRole);
            }
        }
    }
    if (m_mode == Mode::kGenerate && m_vaeCache) {
        for (const ml::CatalogEntry& e : m_models.usable("music_vae")) {
            if (!app::vaeCanSample(app::vaeKindOf(e.spec))) continue;  // groove models: own tools
            m_model->addItem(vaeLabel(e), QString::fromStdString(e.folder));
            m_model->setItemData(m_model->count() - 1, tooltipFor(e), Qt::ToolTipRole);
        }
    }
    const int again = m_model->findData(previous);
    if (again >= 0) m_model->setCurrentIndex(again);
    m_model->blockSignals(false);
    updateForModel();
}

void RnnToolPanel::updateForModel() {
    const ml::CatalogEntry* e = m_models.find(m_model->currentData().toString());
    const bool any = e != nullptr;
    m_run->setEnabled(any && !isRunning());
    m_model->setToolTip(any ? tooltipFor(*e) : QString());
    const app::VaeKind vae = any ? app::vaeKindOf(e->spec) : app::VaeKind::kUnknown;
    const app::PianoTraits piano = any ? app::pianoTraitsOf(e->spec) : app::PianoTraits{};
    const bool drums = any && (isVae(e) ? vae == app::VaeKind::kDrums : codecIsDrums(e->spec));
    // Piano models take pitch weights instead of a key lock, and up to 16 variations.
    m_keyLock->setEnabled(any && !drums && !piano.isPiano());
    if (drums || piano.isPiano()) m_keyLock->setChecked(false);
    if (m_piano) {
        m_piano->setTraits(piano);
        m_variations->setMaximum(piano.isPiano() ? 16 : 8);
        m_bars->setEnabled(!piano.isPiano() || !m_piano->lengthInSeconds());
    }
    const bool chords = any && !isVae(e) && !piano.isPiano() && codecHasChords(e->spec);
    m_chordsLabel->setVisible(chords);
    m_chords->setVisible(chords);
    if (piano.isPiano() && !piano.problem.isEmpty())
        setStatus(piano.problem, true);
    else if (!any)
        setStatus(m_mode == Mode::kGenerate
                      ? tr("No melody, drum, improv or MusicVAE model found. Use Models… to add "
                           "a folder of models, e.g. downloaded Magenta.js checkpoints.")
                      : tr("No melody, drum, improv or piano model found. Use Models… to add a "
                           "folder of models, e.g. downloaded Magenta.js checkpoints."));
    else if (!isRunning())
        setStatus({});
}

bool RnnToolPanel::run() {
    const ml::CatalogEntry* entry = m_models.find(m_model->currentData().toString());
    if (!entry) {
        updateForModel();
        return false;
    }
    const ToolContext context = m_context ? m_context() : ToolContext{};
    if (isVae(entry)) return runVae(*entry, context);
    const app::PianoTraits piano = app::pianoTraitsOf(entry->spec);
    const bool drums = !piano.isPiano() && codecIsDrums(entry->spec);
    app::RnnToolRequest request;
    request.modelFolder = QString::fromStdString(entry->folder);
    request.variations = m_variations->value();
    request.bars = m_bars->value();
    request.temperature = m_temperature->value();
    if (m_randomSeed->isChecked())
        m_seed->setValue(static_cast<int>(QRandomGenerator::global()->bounded(1 << 30)));
    m_seedUsed = static_cast<uint64_t>(m_seed->value());
    request.seed = m_seedUsed;
    if (m_keyLock->isChecked() && !drums)
        request.keyScale = ml::KeyScale{m_key->currentIndex(),
                                        static_cast<ml::Scale>(m_scale->currentData().toInt())};
    if (!piano.isPiano() && codecHasChords(entry->spec)) {
        request.chords = m_chords->text().split(' ', Qt::SkipEmptyParts);
        if (request.chords.isEmpty()) {
            setStatus(tr("This model plays over chords: type a progression, e.g. C G Am F."), true);
            return false;
        }
        for (const QString& chord : request.chords) {
            if (!ml::ChordSymbol::parse(chord.toStdString()).ok()) {
                setStatus(tr("“%1” is not a chord this model knows (e.g. C, Am7, F#dim, Bb/D).")
                              .arg(chord),
                          true);
                return false;
            }
        }
        // One chord per bar (16 steps of 4/4 at improv models' 4 steps per quarter).
        const core::BarBeat at =
            core::MeterMap(m_document.sequence()).barBeatAtSeconds(context.playheadSeconds);
        request.stepsPerChord =
            std::max(1, static_cast<int>(std::lround(at.signature.quartersPerBar() * 4)));
    }

    core::NoteSequence primer;
    double placeAt = 0.0;
    m_newTrack = {};
    m_parts.clear();
    if (m_mode == Mode::kContinue) {
        const ContinueInput in = continueInputFor(
            m_document, context, static_cast<Input>(m_input->currentData().toInt()),
            piano.isPiano());  // piano models may start from silence
        if (!in.error.isEmpty()) {
            setStatus(in.error, true);
            return false;
        }
        const int track = in.track;
        const app::TimeRegion region = in.region;
        const app::NoteIds& only = in.only;
        primer = piano.isPiano() ? app::pianoPrimerFor(m_document, track, region, only)
                                 : app::primerFor(m_document, track, region, only);
        placeAt = region.start;
        // Hear the last two bars of the input, then the continuation.
        const core::MeterMap meter(m_document.sequence());
        const int64_t endBar = meter.barBeatAtSeconds(region.end).bar;
        m_auditionFrom =
            std::max(region.start, meter.barStartSeconds(std::max<int64_t>(0, endBar - 2)));
        const app::TrackState state = m_document.trackState(track);
        if (state.isDrum == drums) {
            m_target = track;
        } else {  // a drum model on a melody track (or the reverse) writes a track of its own
            m_target = -1;
            m_newTrack = {QString::fromStdString(entry->spec.id), 0, drums};
        }
    } else {
        const app::TimeRegion bar =
            app::barRegion(m_document, context.playheadSeconds, context.playheadSeconds);
        primer = app::primerFor(m_document, -1, {bar.start, bar.start});
        placeAt = bar.start;
        m_auditionFrom = bar.start;
        m_target = -1;
        m_newTrack = {QString::fromStdString(entry->spec.id), 0, drums};
    }
    m_label =
        QStringLiteral("%1 · %2").arg(m_mode == Mode::kContinue ? tr("Continue") : tr("Generate"),
                                      QString::fromStdString(entry->spec.id));
    app::GenerationService::Job job =
        piano.isPiano() && m_piano
            ? pianoJob(*entry, piano, primer, placeAt, placeAt + primer.totalTime)
            : app::makeRnnJob(m_cache, request, primer, placeAt);
    if (!job) return false;
    m_requestId = m_service.submit(m_label, std::move(job));
    m_run->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, 0);  // busy until the first progress report
    setStatus(tr("Generating %n variation(s)…", nullptr, request.variations));
    return true;
}

app::GenerationService::Job RnnToolPanel::pianoJob(const ml::CatalogEntry& entry,
                                                   const app::PianoTraits& traits,
                                                   const core::NoteSequence& primer, double placeAt,
                                                   double from) {
    app::PianoToolRequest request = m_piano->request(m_document, from, m_bars->value());
    request.modelFolder = QString::fromStdString(entry.folder);
    request.variations = m_variations->value();
    request.temperature = m_temperature->value();
    request.seed = m_seedUsed;
    if (const QString problem = app::pianoRequestProblem(request, traits); !problem.isEmpty()) {
        setStatus(QStringLiteral("%1: %2").arg(QString::fromStdString(entry.spec.id), problem),
                  true);
        return {};
    }
    return app::makePianoJob(m_pianoCache, request, primer, placeAt);
}

bool RnnToolPanel::runVae(const ml::CatalogEntry& entry, const ToolContext& context) {
    if (!m_vaeCache) return false;
    const app::VaeKind kind = app::vaeKindOf(entry.spec);
    // New bars start at the bar line of the playhead, at the tempo there.
    const app::TimeRegion bar =
        app::barRegion(m_document, context.playheadSeconds, context.playheadSeconds);
    if (const QString problem = app::vaeMeterProblem(m_document, bar.start); !problem.isEmpty()) {
        setStatus(problem, true);
        return false;
    }
    app::VaeSampleRequest request;
    request.modelFolder = QString::fromStdString(entry.folder);
    request.variations = m_variations->value();
    request.bars = m_bars->value();
    request.temperature = m_temperature->value();
    if (m_randomSeed->isChecked())
        m_seed->setValue(static_cast<int>(QRandomGenerator::global()->bounded(1 << 30)));
    m_seedUsed = static_cast<uint64_t>(m_seed->value());
    request.seed = m_seedUsed;
    if (m_keyLock->isChecked() && kind != app::VaeKind::kDrums)
        request.keyScale = ml::KeyScale{m_key->currentIndex(),
                                        static_cast<ml::Scale>(m_scale->currentData().toInt())};
    request.qpm = core::TempoMap(m_document.sequence()).qpmAt(bar.start);
    const app::GhostTakeOptions tracks = app::vaeNewTracks(entry.spec, kind);
    m_target = -1;
    m_newTrack = tracks.newTrack;
    m_parts = tracks.parts;
    m_auditionFrom = bar.start;
    m_label = QStringLiteral("%1 · %2").arg(tr("Generate"), QString::fromStdString(entry.spec.id));
    m_requestId = m_service.submit(m_label, app::makeVaeSampleJob(m_vaeCache, request, bar.start));
    m_run->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, 0);
    setStatus(tr("Generating %n variation(s)…", nullptr, request.variations));
    return true;
}

void RnnToolPanel::cancel() {
    if (isRunning()) m_service.cancel();
}

void RnnToolPanel::finishRequest() {
    m_requestId = 0;
    m_cancel->setEnabled(false);
    m_run->setEnabled(m_models.find(m_model->currentData().toString()) != nullptr);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
}

void RnnToolPanel::onFinished(quint64 id, const std::vector<core::NoteSequence>& results) {
    if (id != m_requestId) return;
    finishRequest();
    // Ghosts (and their audition) sound like the track they will land in.
    const app::TrackState track =
        m_target >= 0 ? m_document.trackState(m_target) : app::TrackState{};
    const int program = m_target >= 0 ? track.program : m_newTrack.program;
    const bool isDrum = m_target >= 0 ? track.isDrum : m_newTrack.isDrum;
    std::vector<core::NoteSequence> takes = results;
    int notes = 0;
    for (core::NoteSequence& take : takes) {
        // A trio's parts keep their own sounds (melody, bass, drums).
        if (m_parts.empty()) {
            for (core::Note& n : take.notes) {
                n.program = program;
                n.isDrum = isDrum;
            }
        }
        notes += static_cast<int>(take.notes.size());
    }
    if (notes == 0) {
        setStatus(tr("The model answered with silence only (seed %1); try a higher temperature "
                     "or another seed.")
                      .arg(m_seedUsed));
        return;
    }
    app::GhostTakeOptions options;
    options.newTrack = m_newTrack;
    options.parts = m_parts;
    m_ghosts.setTakes(m_target, std::move(takes), m_label, options);
    setStatus(tr("%n variation(s), seed %1. [ and ] flip through them, Enter accepts, Esc "
                 "discards.",
                 nullptr, static_cast<int>(results.size()))
                  .arg(m_seedUsed));
    emit resultsShown(m_auditionFrom, m_playResults->isChecked());
}

}  // namespace toccata::ui
