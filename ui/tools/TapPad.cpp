#include "ui/tools/TapPad.h"

#include <QKeyEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace toccata::ui {

TapPad::TapPad(QWidget* parent) : QFrame(parent), m_text(new QLabel(this)) {
    setObjectName("TapPad");
    setFrameShape(QFrame::StyledPanel);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumHeight(44);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(m_text);
    refresh();
}

void TapPad::setRecording(bool recording) {
    if (recording == m_recording) return;
    m_recording = recording;
    if (recording) {
        m_taps.clear();
        m_clock.start();
        setFocus(Qt::OtherFocusReason);
    }
    refresh();
    emit recordingChanged(recording);
}

void TapPad::clear() {
    m_taps.clear();
    refresh();
}

void TapPad::tap() {
    m_taps.push_back(static_cast<double>(m_clock.nsecsElapsed()) / 1e9);
    refresh();
    emit tapped(static_cast<int>(m_taps.size()));
}

bool TapPad::event(QEvent* event) {
    // Claim every key while recording, or Space would start the transport instead of tapping.
    if (m_recording && event->type() == QEvent::ShortcutOverride) {
        event->accept();
        return true;
    }
    return QFrame::event(event);
}

void TapPad::keyPressEvent(QKeyEvent* event) {
    if (!m_recording) return QFrame::keyPressEvent(event);
    const int key = event->key();
    if (key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Escape) {
        setRecording(false);
        return;
    }
    if (!event->isAutoRepeat()) tap();
    event->accept();
}

void TapPad::mousePressEvent(QMouseEvent* event) {
    if (m_recording)
        tap();
    else
        setFocus(Qt::MouseFocusReason);
    event->accept();
}

void TapPad::focusOutEvent(QFocusEvent* event) {
    // Keys pressed elsewhere must not go on counting as taps, nor be lost silently.
    QFrame::focusOutEvent(event);
    if (event->reason() != Qt::PopupFocusReason) setRecording(false);
}

void TapPad::refresh() {
    const int n = static_cast<int>(m_taps.size());
    if (m_recording)
        m_text->setText(n == 0 ? tr("Tap any key here in time (the first tap is the downbeat); "
                                    "Enter stops.")
                               : tr("%n tap(s)… Enter stops.", nullptr, n));
    else
        m_text->setText(n == 0 ? tr("No rhythm tapped yet.")
                               : tr("%n tap(s) recorded.", nullptr, n));
    setStyleSheet(m_recording ? QStringLiteral("#TapPad { border: 2px solid #c0392b; }")
                              : QString());
}

}  // namespace toccata::ui
