#include "ui/rainbowgram/RainbowgramPanel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <memory>

#include "app/Document.h"
#include "app/PlaybackController.h"
#include "audio/WavReader.h"
#include "ui/pianoroll/PianoRollView.h"
#include "ui/rainbowgram/RainbowgramLegend.h"
#include "ui/rainbowgram/RainbowgramView.h"

namespace toccata::ui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

app::RenderScope scopeOf(RainbowgramPanel::Source source) {
    switch (source) {
        case RainbowgramPanel::Source::kSelection: return app::RenderScope::kSelection;
        case RainbowgramPanel::Source::kSong: return app::RenderScope::kSong;
        default: return app::RenderScope::kCurrentTrack;
    }
}

}  // namespace

RainbowgramPanel::RainbowgramPanel(app::Document& document, PianoRollView* roll,
                                   app::PlaybackController& playback, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_roll(roll),
      m_playback(playback),
      m_sourceBox(new QComboBox(this)),
      m_refresh(new QPushButton(tr("Refresh"), this)),
      m_status(new QLabel(this)),
      m_readout(new QLabel(this)),
      m_view(new RainbowgramView(roll, this)),
      m_legend(new RainbowgramLegend(this)) {
    setObjectName("RainbowgramPanel");
    m_job.setObjectName("RainbowgramJob");
    m_sourceBox->setObjectName("RainbowgramSource");
    m_sourceBox->addItem(tr("Current track"), int(Source::kCurrentTrack));
    m_sourceBox->addItem(tr("Selection"), int(Source::kSelection));
    m_sourceBox->addItem(tr("Song"), int(Source::kSong));
    m_sourceBox->addItem(tr("Audio file…"), int(Source::kAudioFile));
    m_sourceBox->setToolTip(
        tr("What to analyse: the document rendered through the SoundFont "
           "that plays it, or a WAV file"));
    m_refresh->setObjectName("RainbowgramRefresh");
    m_status->setObjectName("RainbowgramStatus");
    m_readout->setObjectName("RainbowgramReadout");
    m_readout->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    auto* top = new QHBoxLayout;
    top->setContentsMargins(4, 2, 4, 2);
    top->addWidget(m_sourceBox);
    top->addWidget(m_refresh);
    top->addWidget(m_status, 1);
    top->addWidget(m_readout);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_legend);

    m_openPrompt = [this] {
        QSettings settings;
        return QFileDialog::getOpenFileName(this, tr("Open audio for the rainbowgram"),
                                            settings.value("paths/lastOpenDir").toString(),
                                            tr("WAV audio (*.wav *.wave);;All files (*)"));
    };
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kAutoRefreshMs);
    connect(&m_debounce, &QTimer::timeout, this, [this] { refresh(); });
    connect(m_sourceBox, qOverload<int>(&QComboBox::activated), this,
            &RainbowgramPanel::onSourceChosen);
    connect(m_refresh, &QPushButton::clicked, this, [this] { refresh(); });
    connect(m_view, &RainbowgramView::readoutChanged, m_readout, &QLabel::setText);

    // Auto-refresh: only what the shown source depends on, only while it is on screen.
    connect(&m_document, &app::Document::changed, this, [this] {
        if (isDocumentSource()) scheduleRefresh();
    });
    connect(roll, &PianoRollView::selectionChanged, this, [this] {
        if (m_source == Source::kSelection) scheduleRefresh();
    });
    connect(roll, &PianoRollView::currentTrackChanged, this, [this] {
        if (m_source == Source::kCurrentTrack) scheduleRefresh();
    });
    // Another SoundFont sounds different (and the first one may arrive after the dock opened).
    connect(&m_playback, &app::PlaybackController::soundFontLoaded, this, [this] {
        if (!isDocumentSource()) return;
        m_renderedRevision = ~quint64(0);
        scheduleRefresh();
    });

    connect(&m_job, &app::AudioRenderJob::progress, this,
            [this](quint64 id, const QString& stage, double fraction) {
                if (id == m_job.currentId())
                    setStatus(tr("%1 %2%").arg(stage).arg(std::lround(fraction * 100)));
            });
    connect(&m_job, &app::AudioRenderJob::finished, this, [this](quint64 id) {
        if (id != m_pendingId || !m_pending) return;
        const RainbowgramPicturePtr shown = std::move(m_pending);
        m_pending.reset();
        m_view->setPicture(shown);
        m_legend->setRangeDb(shown->gram.rangeDb);
        setStatus(tr("%1 · %2 s · %3 frames × %4 bins")
                      .arg(shown->source)
                      .arg(shown->audioSeconds, 0, 'f', 1)
                      .arg(shown->gram.frames)
                      .arg(shown->gram.bins));
        emit pictureChanged();
    });
    connect(&m_job, &app::AudioRenderJob::failed, this, [this](quint64 id, const QString& message) {
        if (id != m_job.currentId()) return;
        setStatus(tr("⚠ %1").arg(message));
        emit requestFailed(message);
    });
    connect(&m_job, &app::AudioRenderJob::cancelled, this, [this](quint64 id) {
        if (id == m_job.currentId()) setStatus(tr("Cancelled"));
    });
    setStatus(tr("Choose what to analyse, then Refresh"));
}

const RainbowgramPicturePtr& RainbowgramPanel::picture() const { return m_view->picture(); }

QString RainbowgramPanel::statusText() const { return m_status->text(); }

void RainbowgramPanel::setStatus(const QString& text) {
    m_status->setText(text);
    m_status->setToolTip(text);
}

void RainbowgramPanel::scheduleRefresh() {
    if (isVisible()) m_debounce.start();
}

void RainbowgramPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    // Edits made while hidden were not followed: catch up once shown.
    if (isDocumentSource() && m_renderedRevision != m_document.revision()) scheduleRefresh();
}

void RainbowgramPanel::onSourceChosen(int index) {
    const auto chosen = static_cast<Source>(m_sourceBox->itemData(index).toInt());
    if (chosen == Source::kAudioFile) {
        const QString path = m_openPrompt ? m_openPrompt() : QString();
        if (path.isEmpty()) {  // cancelled: back to what was shown
            const QSignalBlocker block(m_sourceBox);
            m_sourceBox->setCurrentIndex(m_sourceBox->findData(int(m_source)));
            return;
        }
        openAudioFile(path);
        return;
    }
    setSource(chosen);
}

void RainbowgramPanel::setSource(Source source) {
    if (source == Source::kAudioFile) {
        const int index = m_sourceBox->findData(int(Source::kAudioFile));
        m_sourceBox->setCurrentIndex(index);
        onSourceChosen(index);
        return;
    }
    m_source = source;
    {
        const QSignalBlocker block(m_sourceBox);
        m_sourceBox->setCurrentIndex(m_sourceBox->findData(int(source)));
    }
    refresh();
}

void RainbowgramPanel::openAudioFile(const QString& path) {
    m_source = Source::kAudioFile;
    m_audioPath = path;
    {
        const QSignalBlocker block(m_sourceBox);
        m_sourceBox->setCurrentIndex(m_sourceBox->findData(int(Source::kAudioFile)));
        m_sourceBox->setItemText(m_sourceBox->currentIndex(), QFileInfo(path).fileName());
    }
    refresh();
}

quint64 RainbowgramPanel::refresh() {
    m_debounce.stop();
    m_job.cancel();  // whatever runs is outdated now, even if this request fails to start
    auto picture = std::make_shared<RainbowgramPicture>();
    app::AudioRenderJob::Task task;
    if (m_source == Source::kAudioFile) {
        const std::string file = m_audioPath.toStdString();
        const QString name = QFileInfo(m_audioPath).fileName();
        task = [file, name, picture](app::TaskContext& context) -> core::Status {
            context.report(QObject::tr("Reading"), 0.0);
            auto wav = audio::readWavFile(file);
            if (!wav) return wav.error();
            auto made = makeRainbowgramPicture(
                wav->audio, 0.0, name, context.cancelFlag(),
                [&context](double f) { context.report(QObject::tr("Analysing"), f); });
            if (!made) return made.error();
            *picture = std::move(made.value());
            return {};
        };
    } else {
        m_renderedRevision = m_document.revision();
        auto plan = app::planRender(m_document, scopeOf(m_source), m_roll->currentTrack(),
                                    m_roll->selectedNotes(), m_playback.engine().soundFontPath(),
                                    kAnalysisRate);
        if (!plan) {
            setStatus(tr("⚠ %1").arg(qs(plan.errorMessage())));
            emit requestFailed(qs(plan.errorMessage()));
            return 0;
        }
        task = [p = std::move(plan.value()), picture](app::TaskContext& context) -> core::Status {
            auto rendered = context.render(p);
            if (!rendered) return rendered.error();
            auto made = makeRainbowgramPicture(
                rendered->audio, p.startSeconds, p.description, context.cancelFlag(),
                [&context](double f) { context.report(QObject::tr("Analysing"), f); });
            if (!made) return made.error();
            *picture = std::move(made.value());
            return {};
        };
    }
    m_pending = picture;
    m_pendingId = m_job.start(std::move(task));
    setStatus(tr("Starting…"));
    return m_pendingId;
}

}  // namespace toccata::ui
