#include "ui/AudioExporter.h"

#if TOCCATA_HAVE_AUDIO

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QProgressDialog>
#include <QSettings>

#include <cmath>
#include <memory>

#include "app/Document.h"
#include "app/PlaybackController.h"
#include "audio/WavWriter.h"
#include "ui/pianoroll/PianoRollView.h"

namespace toccata::ui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

constexpr const char* kCancelled = "Export cancelled";

QString durationText(double seconds) {
    const int tenths = static_cast<int>(std::lround(seconds * 10.0));
    return QString("%1:%2.%3")
        .arg(tenths / 600)
        .arg((tenths / 10) % 60, 2, 10, QChar('0'))
        .arg(tenths % 10);
}

}  // namespace

AudioExporter::AudioExporter(app::Document& document, PianoRollView* roll,
                             app::PlaybackController& playback, QWidget* window)
    : QObject(window), m_document(document), m_roll(roll), m_playback(playback), m_window(window) {
    m_job.setObjectName("ExportAudioJob");
}

QString AudioExporter::successMessage(const ExportedAudio& e) {
    return tr("Exported %1 of %2 to %3 (%4-bit, %5 kHz)")
        .arg(durationText(e.seconds), e.description, QDir::toNativeSeparators(e.path))
        .arg(e.bitsPerSample)
        .arg(e.sampleRate / 1000.0, 0, 'g', 3);
}

void AudioExporter::chooseAndExport(const ExportAudioDialog::PathPrompt& prompt) {
    if (m_running) return;
    const bool hasSelection = m_roll && !m_roll->selectedNotes().isEmpty();
    ExportAudioOptions initial = m_last;
    QString folder = QFileInfo(initial.path).absolutePath();
    if (initial.path.isEmpty()) {
        folder = m_document.filePath().isEmpty()
                     ? QSettings().value("paths/lastOpenDir", QDir::homePath()).toString()
                     : QFileInfo(m_document.filePath()).absolutePath();
    }
    initial.path = QDir(folder).filePath(
        ExportAudioDialog::defaultFileName(m_document.displayName(), initial.scope));
    ExportAudioDialog dialog(initial, hasSelection, prompt, m_window);
    if (dialog.exec() != QDialog::Accepted) return;
    (void)exportAudio(dialog.options());
}

core::Result<ExportedAudio> AudioExporter::exportAudio(const ExportAudioOptions& options) {
    auto done = run(options);
    if (done.ok())
        emit message(successMessage(*done));
    else if (done.errorMessage() == kCancelled)
        emit message(tr("Export cancelled"));
    else
        emit error(tr("Could not export audio"), qs(done.errorMessage()));
    return done;
}

core::Result<ExportedAudio> AudioExporter::run(const ExportAudioOptions& options) {
    using R = core::Result<ExportedAudio>;
    if (m_running) return R::failure("An export is already running");
    QString path = options.path.trimmed();
    if (path.isEmpty()) return R::failure("No file was given to export to");
    if (QFileInfo(path).suffix().isEmpty()) path += ".wav";
    m_last = options;
    m_last.path = path;

    const int track = m_roll ? m_roll->currentTrack() : 0;
    const app::NoteIds selection = m_roll ? m_roll->selectedNotes() : app::NoteIds{};
    auto plan = app::planRender(m_document, options.scope, track, selection,
                                m_playback.engine().soundFontPath(), options.sampleRate);
    if (!plan) return plan.error();

    // The worker fills `result`; the UI reads it once the job reports back.
    auto result = std::make_shared<ExportedAudio>();
    result->path = path;
    result->sampleRate = options.sampleRate;
    result->bitsPerSample = audio::bitsPerSample(options.format);
    result->description = plan->description;
    const std::string file = path.toStdString();
    const audio::WavSampleFormat format = options.format;
    const quint64 id =
        m_job.start([p = std::move(plan.value()), file, format, result](app::TaskContext& context) {
            // Opened first, so an unwritable path fails before minutes of rendering.
            audio::WavWriter writer;
            if (core::Status opened = writer.open(file, p.synth.sampleRate, 2, format); !opened)
                return opened;
            auto rendered = context.render(p);
            if (!rendered) return core::Status(rendered.error());
            if (context.isCancelled()) return core::Status::failure(kCancelled);
            context.report(QObject::tr("Writing"), 0.0);
            if (core::Status s = writer.write(rendered->audio); !s) return s;
            if (context.isCancelled()) return core::Status::failure(kCancelled);
            if (core::Status s = writer.finish(); !s) return s;  // renames onto the target
            result->seconds = rendered->audio.seconds();
            context.report(QObject::tr("Writing"), 1.0);
            return core::Status();
        });
    m_running = true;

    QProgressDialog dialog(tr("Rendering %1…").arg(result->description), tr("Cancel"), 0, 1000,
                           m_window);
    dialog.setObjectName("ExportProgress");
    dialog.setWindowTitle(tr("Export audio"));
    dialog.setWindowModality(Qt::WindowModal);
    dialog.setMinimumDuration(400);
    dialog.setAutoClose(false);
    dialog.setAutoReset(false);
    dialog.setValue(0);
    connect(&dialog, &QProgressDialog::canceled, this, &AudioExporter::cancel);

    QEventLoop loop;
    QString failure;
    bool cancelled = false;
    const auto connections = {
        connect(&m_job, &app::AudioRenderJob::progress, &dialog,
                [&, id](quint64 job, const QString& stage, double fraction) {
                    if (job != id) return;
                    dialog.setLabelText(tr("%1 %2…").arg(stage, result->description));
                    dialog.setValue(static_cast<int>(fraction * 1000));
                    emit progress(fraction);
                }),
        connect(&m_job, &app::AudioRenderJob::finished, &loop,
                [&, id](quint64 job) {
                    if (job == id) loop.quit();
                }),
        connect(&m_job, &app::AudioRenderJob::failed, &loop,
                [&, id](quint64 job, const QString& message) {
                    if (job != id) return;
                    failure = message;
                    loop.quit();
                }),
        connect(&m_job, &app::AudioRenderJob::cancelled, &loop, [&, id](quint64 job) {
            if (job != id) return;
            cancelled = true;
            loop.quit();
        })};
    loop.exec();
    for (const auto& c : connections) disconnect(c);
    m_running = false;
    dialog.close();
    if (cancelled) return R::failure(kCancelled);
    if (!failure.isEmpty()) return R::failure(failure.toStdString());
    return *result;
}

void AudioExporter::cancel() {
    if (m_running) m_job.cancel();
}

}  // namespace toccata::ui

#endif  // TOCCATA_HAVE_AUDIO
