#include "ui/pianoroll/GhostBar.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QToolButton>

#include <functional>

#include "app/Document.h"
#include "app/DocumentExcerpt.h"
#include "app/GhostTakes.h"
#include "ui/dragdrop/MidiDrag.h"

namespace toccata::ui {

namespace {
QToolButton* makeButton(QWidget* parent, const QString& text, const QString& tip,
                        const QString& name) {
    auto* button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setObjectName(name);
    button->setAutoRaise(true);
    return button;
}

/// A label that starts a drag once the mouse moved far enough with the button down.
class DragHandle : public QLabel {
public:
    DragHandle(const QString& text, QWidget* parent, std::function<void()> onDrag)
        : QLabel(text, parent), m_onDrag(std::move(onDrag)) {
        setCursor(Qt::OpenHandCursor);
    }

protected:
    void mousePressEvent(QMouseEvent* event) override {
        if (event->button() == Qt::LeftButton) m_pressedAt = event->position().toPoint();
        event->accept();
    }
    void mouseMoveEvent(QMouseEvent* event) override {
        if (!(event->buttons() & Qt::LeftButton) || m_pressedAt.isNull()) return;
        if ((event->position().toPoint() - m_pressedAt).manhattanLength() <
            QApplication::startDragDistance())
            return;
        m_pressedAt = {};
        m_onDrag();
    }
    void mouseReleaseEvent(QMouseEvent* event) override {
        m_pressedAt = {};
        event->accept();
    }

private:
    std::function<void()> m_onDrag;
    QPoint m_pressedAt;
};

}  // namespace

GhostBar::GhostBar(QWidget* parent)
    : QWidget(parent),
      m_label(new QLabel(this)),
      m_previous(
          makeButton(this, tr("◀ Previous"), tr("Previous variation ( [ )"), "GhostPrevious")),
      m_next(makeButton(this, tr("Next ▶"), tr("Next variation ( ] )"), "GhostNext")),
      m_accept(makeButton(this, tr("✓ Accept"), tr("Add this variation to the track (Enter)"),
                          "GhostAccept")),
      m_discard(makeButton(this, tr("✕ Discard"), tr("Drop all variations (Esc)"), "GhostDiscard")),
      m_drag(new DragHandle(tr("⇲ MIDI"), this, [this] {
          QString error;
          if (!startDrag(&error)) m_label->setText(error);
      })) {
    setObjectName("GhostBar");
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, QColor(0x3a, 0x32, 0x52));
    pal.setColor(QPalette::WindowText, QColor(0xf0, 0xec, 0xff));
    pal.setColor(QPalette::ButtonText, QColor(0xf0, 0xec, 0xff));
    setPalette(pal);
    m_label->setObjectName("GhostLabel");
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 8, 2);
    layout->addWidget(m_label, 1);
    m_drag->setObjectName("GhostDrag");
    m_drag->setToolTip(tr("Drag this variation out as a MIDI file (into a DAW or a folder)"));
    layout->addWidget(m_drag);
    for (QToolButton* b : {m_previous, m_next, m_accept, m_discard}) layout->addWidget(b);
    connect(m_previous, &QToolButton::clicked, this, [this] {
        if (m_takes) m_takes->previous();
    });
    connect(m_next, &QToolButton::clicked, this, [this] {
        if (m_takes) m_takes->next();
    });
    connect(m_accept, &QToolButton::clicked, this, [this] {
        if (m_takes && m_document) m_takes->accept(*m_document);
    });
    connect(m_discard, &QToolButton::clicked, this, [this] {
        if (m_takes) m_takes->discard();
    });
    refresh();
}

void GhostBar::setGhostTakes(app::GhostTakes* takes) {
    if (m_takes) disconnect(m_takes, nullptr, this, nullptr);
    m_takes = takes;
    if (m_takes) connect(m_takes, &app::GhostTakes::changed, this, &GhostBar::refresh);
    refresh();
}

void GhostBar::setDocument(app::Document* document) { m_document = document; }

QString GhostBar::text() const { return m_label->text(); }

core::NoteSequence GhostBar::dragSequence() const {
    const core::NoteSequence* take = m_takes ? m_takes->currentTake() : nullptr;
    if (!take) return {};
    core::NoteSequence seq = *take;
    if (m_document) {
        seq.tempos = m_document->sequence().tempos;
        seq.timeSignatures = m_document->sequence().timeSignatures;
        seq.ticksPerQuarter = m_document->sequence().ticksPerQuarter;
    }
    for (const app::GhostPart& part : m_takes->parts())
        seq.instrumentInfos.push_back({part.instrument, part.track.name.toStdString()});
    seq.recomputeTotalTime();
    return app::excerptFromBar(seq);
}

QString GhostBar::dragFileName() const {
    if (!m_takes || m_takes->isEmpty()) return {};
    return app::midiFileNameFor({m_document ? m_document->displayName() : QString(),
                                 m_takes->label(), tr("variation %1").arg(m_takes->current() + 1)});
}

bool GhostBar::startDrag(QString* error) {
    const core::NoteSequence seq = dragSequence();
    if (seq.notes.empty()) return false;
    return MidiDrag::start(m_drag, seq, dragFileName(), error);
}

void GhostBar::refresh() {
    const bool any = m_takes && !m_takes->isEmpty();
    setVisible(any);
    if (!any) {
        m_label->clear();
        return;
    }
    QString text = tr("Variation %1/%2").arg(m_takes->current() + 1).arg(m_takes->count());
    if (!m_takes->label().isEmpty()) text += QStringLiteral(" · ") + m_takes->label();
    if (!m_takes->replaces().isEmpty())
        text += QStringLiteral(" · ") +
                tr("replaces %n note(s)", nullptr, static_cast<int>(m_takes->replaces().size()));
    m_label->setText(text);
    m_previous->setEnabled(m_takes->count() > 1);
    m_next->setEnabled(m_takes->count() > 1);
    m_accept->setEnabled(m_document != nullptr);
}

}  // namespace toccata::ui
