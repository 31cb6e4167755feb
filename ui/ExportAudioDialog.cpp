#include "ui/ExportAudioDialog.h"

#if TOCCATA_HAVE_AUDIO

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>

#include "app/DocumentExcerpt.h"

namespace toccata::ui {

ExportAudioDialog::ExportAudioDialog(const ExportAudioOptions& initial, bool hasSelection,
                                     PathPrompt prompt, QWidget* parent)
    : QDialog(parent),
      m_prompt(std::move(prompt)),
      m_scope(new QComboBox(this)),
      m_format(new QComboBox(this)),
      m_rate(new QComboBox(this)),
      m_path(new QLineEdit(this)) {
    setObjectName("ExportAudioDialog");
    setWindowTitle(tr("Export audio"));
    m_scope->setObjectName("ExportScope");
    m_scope->addItem(tr("Song (as it plays: mute and solo applied)"), int(app::RenderScope::kSong));
    m_scope->addItem(tr("Current track"), int(app::RenderScope::kCurrentTrack));
    m_scope->addItem(tr("Selection (from its first note)"), int(app::RenderScope::kSelection));
    if (!hasSelection) {
        // A disabled item stays visible, so the choice is discoverable.
        if (auto* model = qobject_cast<QStandardItemModel*>(m_scope->model()))
            model->item(2)->setEnabled(false);
    }
    m_format->setObjectName("ExportFormat");
    m_format->addItem(tr("WAV 16-bit"), int(audio::WavSampleFormat::kPcm16));
    m_format->addItem(tr("WAV 24-bit"), int(audio::WavSampleFormat::kPcm24));
    m_rate->setObjectName("ExportRate");
    m_rate->addItem(tr("44.1 kHz"), 44100);
    m_rate->addItem(tr("48 kHz"), 48000);
    m_path->setObjectName("ExportPath");
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ExportAudioDialog::browse);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_path, &QLineEdit::textChanged, this, &ExportAudioDialog::updateOk);

    auto* form = new QFormLayout(this);
    form->addRow(tr("&Export:"), m_scope);
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("Sample &rate:"), m_rate);
    form->addRow(tr("F&ile:"), pathRow);
    form->addRow(buttons);
    setOptions(initial);
}

bool ExportAudioDialog::isScopeEnabled(app::RenderScope scope) const {
    const auto* model = qobject_cast<const QStandardItemModel*>(m_scope->model());
    const int row = m_scope->findData(int(scope));
    return row >= 0 && (!model || model->item(row)->isEnabled());
}

ExportAudioOptions ExportAudioDialog::options() const {
    ExportAudioOptions o;
    o.scope = static_cast<app::RenderScope>(m_scope->currentData().toInt());
    o.format = static_cast<audio::WavSampleFormat>(m_format->currentData().toInt());
    o.sampleRate = m_rate->currentData().toInt();
    o.path = m_path->text().trimmed();
    return o;
}

void ExportAudioDialog::setOptions(const ExportAudioOptions& o) {
    const app::RenderScope scope = isScopeEnabled(o.scope) ? o.scope : app::RenderScope::kSong;
    m_scope->setCurrentIndex(std::max(0, m_scope->findData(int(scope))));
    m_format->setCurrentIndex(std::max(0, m_format->findData(int(o.format))));
    m_rate->setCurrentIndex(std::max(0, m_rate->findData(o.sampleRate)));
    m_path->setText(o.path);
    updateOk();
}

QString ExportAudioDialog::defaultFileName(const QString& documentName, app::RenderScope scope) {
    QStringList parts{documentName};
    if (scope != app::RenderScope::kSong) parts << app::scopeName(scope);
    QString name = app::midiFileNameFor(parts);
    name.chop(4);  // ".mid"
    return name + ".wav";
}

void ExportAudioDialog::browse() {
    if (!m_prompt) return;
    const QString path = m_prompt(tr("Export audio"), tr("WAV audio (*.wav)"));
    if (!path.isEmpty()) m_path->setText(path);
}

void ExportAudioDialog::updateOk() {
    if (m_ok) m_ok->setEnabled(!m_path->text().trimmed().isEmpty());
}

}  // namespace toccata::ui

#endif  // TOCCATA_HAVE_AUDIO
