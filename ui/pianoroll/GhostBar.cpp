#include "ui/pianoroll/GhostBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

#include "app/Document.h"
#include "app/GhostTakes.h"

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
}  // namespace

GhostBar::GhostBar(QWidget* parent)
    : QWidget(parent),
      m_label(new QLabel(this)),
      m_previous(
          makeButton(this, tr("◀ Previous"), tr("Previous variation ( [ )"), "GhostPrevious")),
      m_next(makeButton(this, tr("Next ▶"), tr("Next variation ( ] )"), "GhostNext")),
      m_accept(makeButton(this, tr("✓ Accept"), tr("Add this variation to the track (Enter)"),
                          "GhostAccept")),
      m_discard(
          makeButton(this, tr("✕ Discard"), tr("Drop all variations (Esc)"), "GhostDiscard")) {
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

void GhostBar::refresh() {
    const bool any = m_takes && !m_takes->isEmpty();
    setVisible(any);
    if (!any) {
        m_label->clear();
        return;
    }
    QString text = tr("Variation %1/%2").arg(m_takes->current() + 1).arg(m_takes->count());
    if (!m_takes->label().isEmpty()) text += QStringLiteral(" · ") + m_takes->label();
    m_label->setText(text);
    m_previous->setEnabled(m_takes->count() > 1);
    m_next->setEnabled(m_takes->count() > 1);
    m_accept->setEnabled(m_document != nullptr);
}

}  // namespace toccata::ui
