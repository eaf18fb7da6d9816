#include "ui/prompt_edit.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QCompleter>
#include <QFutureWatcher>
#include <QKeyEvent>
#include <QLabel>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTextBlock>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include "engine/api/prompt_info.h"
#include "ui/attention_edit.h"
#include "ui/prompt_highlighter.h"

namespace easel::ui {
namespace {

constexpr int kCountDelayMs = 200;   // A1111 also waits for typing to pause before counting

bool isEscaped(const QString& text, int pos)
{
    int backslashes = 0;
    for (int i = pos - 1; i >= 0 && text[i] == QLatin1Char('\\'); --i)
        ++backslashes;
    return backslashes % 2 == 1;
}

/// Position of the bracket matching the one at `pos`, or -1.
int findMatchingBracket(const QString& text, int pos)
{
    static const QString opens = QStringLiteral("([<");
    static const QString closes = QStringLiteral(")]>");
    const QChar c = text[pos];
    const int openIndex = int(opens.indexOf(c));
    const int closeIndex = int(closes.indexOf(c));
    const bool forward = openIndex >= 0;
    const QChar self = c;
    const QChar other = forward ? closes[openIndex] : opens[closeIndex];
    int depth = 0;
    for (int i = pos; forward ? i < text.size() : i >= 0; i += forward ? 1 : -1) {
        if ((text[i] != self && text[i] != other) || isEscaped(text, i))
            continue;
        depth += text[i] == self ? 1 : -1;
        if (depth == 0)
            return i;
    }
    return -1;
}

bool isBracket(QChar c) { return QStringView(u"()[]<>").contains(c); }

} // namespace

PromptEdit::PromptEdit(QWidget* parent)
    : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    m_highlighter = new PromptHighlighter(document());

    m_counter = new QLabel(this);
    m_counter->setObjectName(QStringLiteral("TokenCounter"));
    m_counter->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_counter->setStyleSheet(QStringLiteral("QLabel { color: palette(mid); padding: 1px 4px; }"));
    m_counter->setToolTip(tr("Tokens used / tokens available: every 75 tokens start a new chunk"));

    m_countTimer = new QTimer(this);
    m_countTimer->setSingleShot(true);
    m_countTimer->setInterval(kCountDelayMs);
    connect(m_countTimer, &QTimer::timeout, this, &PromptEdit::startTokenCount);
    connect(this, &QPlainTextEdit::textChanged, this, &PromptEdit::scheduleTokenCount);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &PromptEdit::updateBracketMatch);

    m_completer = new QCompleter(this);
    m_completer->setWidget(this);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setModelSorting(QCompleter::UnsortedModel);
    m_completer->setMaxVisibleItems(12);
    connect(m_completer, qOverload<const QString&>(&QCompleter::activated), this, &PromptEdit::insertCompletion);

    startTokenCount();
}

PromptEdit::~PromptEdit() = default;

void PromptEdit::setPositive(bool positive)
{
    m_positive = positive;
    scheduleTokenCount();
}

void PromptEdit::setSteps(int steps)
{
    if (steps == m_steps)
        return;
    m_steps = steps;
    scheduleTokenCount();
}

void PromptEdit::setKnownLoraNames(const QStringList& names)
{
    m_loraNames.clear();
    for (const QString& name : names)
        m_loraNames.append(name.toLower());
    m_loraNamesSet = true;
    updateValidator();
}

void PromptEdit::setKnownHypernetworkNames(const QStringList& names)
{
    m_hypernetNames.clear();
    for (const QString& name : names)
        m_hypernetNames.append(name.toLower());
    m_hypernetNamesSet = true;
    updateValidator();
}

void PromptEdit::updateValidator()
{
    const QStringList loras = m_loraNames;
    const QStringList hypernets = m_hypernetNames;
    const bool checkLoras = m_loraNamesSet;
    const bool checkHypernets = m_hypernetNamesSet;
    m_highlighter->setNameValidator([=](const QString& kind, const QString& name) {
        const QString key = kind.toLower();
        if (key == QLatin1String("lora") || key == QLatin1String("lyco"))
            return !checkLoras || loras.contains(name.toLower());
        if (key == QLatin1String("hypernet"))
            return !checkHypernets || hypernets.contains(name.toLower());
        return true; // other extra networks are not ours to judge
    });
}

void PromptEdit::setLoraCompletionModel(QAbstractItemModel* model) { m_loraModel = model; }
void PromptEdit::setEmbeddingCompletionModel(QAbstractItemModel* model) { m_embeddingModel = model; }

QString PromptEdit::tokenCountText() const { return m_counter->text(); }

void PromptEdit::scheduleTokenCount()
{
    ++m_countGeneration;
    m_countTimer->start();
}

void PromptEdit::startTokenCount()
{
    // Tokenizing is fast but the first call loads the vocabulary: keep it off the GUI thread.
    const int generation = ++m_countGeneration;
    auto* watcher = new QFutureWatcher<api::PromptTokenCount>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_countGeneration)
            return; // the text changed meanwhile; a newer count is on its way
        const api::PromptTokenCount count = watcher->result();
        m_counter->setText(QString::fromStdString(count.text()));
        m_counter->setProperty("overLimit", count.used > api::kPromptChunkTokens);
        placeCounter();
        Q_EMIT tokenCountChanged(count.used, count.limit);
    });
    const std::string prompt = toPlainText().toStdString();
    const int steps = m_steps;
    const bool positive = m_positive;
    watcher->setFuture(QtConcurrent::run([prompt, steps, positive] {
        try {
            return api::countPromptTokens(prompt, steps, positive);
        } catch (const std::exception&) {
            return api::PromptTokenCount{}; // the counter is advisory; the generation reports errors
        }
    }));
}

void PromptEdit::placeCounter()
{
    m_counter->adjustSize();
    const QRect area = viewport()->geometry();
    int right = area.right();
    if (verticalScrollBar()->isVisible())
        right = std::min(right, verticalScrollBar()->geometry().left() - 1);
    m_counter->move(right - m_counter->width() - 2, area.top() + 2);
    m_counter->raise();
}

void PromptEdit::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    placeCounter();
}

void PromptEdit::focusInEvent(QFocusEvent* event)
{
    m_completer->setWidget(this);
    QPlainTextEdit::focusInEvent(event);
}

void PromptEdit::updateBracketMatch()
{
    QList<QTextEdit::ExtraSelection> selections;
    const QString text = toPlainText();
    const int pos = textCursor().position();
    int at = -1;
    if (pos < text.size() && isBracket(text[pos]) && !isEscaped(text, pos))
        at = pos;
    else if (pos > 0 && isBracket(text[pos - 1]) && !isEscaped(text, pos - 1))
        at = pos - 1;
    if (at >= 0) {
        const int match = findMatchingBracket(text, at);
        QTextCharFormat format;
        format.setBackground(match >= 0 ? QColor(0x16, 0xa3, 0x4a, 70) : QColor(0xdc, 0x26, 0x26, 90));
        for (int p : {at, match}) {
            if (p < 0)
                continue;
            QTextEdit::ExtraSelection selection;
            selection.format = format;
            selection.cursor = QTextCursor(document());
            selection.cursor.setPosition(p);
            selection.cursor.setPosition(p + 1, QTextCursor::KeepAnchor);
            selections.append(selection);
        }
    }
    setExtraSelections(selections);
}

bool PromptEdit::adjustWeight(bool increase)
{
    QTextCursor cursor = textCursor();
    const QString text = toPlainText();
    const auto result = editAttention(text, cursor.selectionStart(), cursor.selectionEnd(), increase);
    if (!result)
        return false;
    // Replace only the changed middle so undo, scrolling and highlighting stay local.
    int prefix = 0;
    const int limit = int(std::min(text.size(), result->text.size()));
    while (prefix < limit && text[prefix] == result->text[prefix])
        ++prefix;
    int suffix = 0;
    while (suffix < limit - prefix
           && text[text.size() - 1 - suffix] == result->text[result->text.size() - 1 - suffix])
        ++suffix;
    QTextCursor edit(document());
    edit.beginEditBlock();
    edit.setPosition(prefix);
    edit.setPosition(int(text.size()) - suffix, QTextCursor::KeepAnchor);
    edit.insertText(result->text.mid(prefix, result->text.size() - suffix - prefix));
    edit.endEditBlock();
    cursor.setPosition(result->selectionStart);
    cursor.setPosition(result->selectionEnd, QTextCursor::KeepAnchor);
    setTextCursor(cursor);
    return true;
}

bool PromptEdit::updateCompletion(bool forced)
{
    QTextCursor cursor = textCursor();
    const QString line = cursor.block().text().left(cursor.positionInBlock());
    static const QRegularExpression loraPrefix(QStringLiteral("<(?:lora|lyco):([^:<>]*)$"),
                                               QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression wordPrefix(QStringLiteral("([^\\s,()\\[\\]<>:|\\\\]+)$"));
    QString prefix;
    QAbstractItemModel* model = nullptr;
    m_completionKind = CompletionKind::None;
    if (const auto m = loraPrefix.match(line); m.hasMatch() && m_loraModel) {
        prefix = m.captured(1);
        model = m_loraModel;
        m_completionKind = CompletionKind::Lora;
    } else if (const auto w = wordPrefix.match(line); w.hasMatch() && m_embeddingModel
                                                      && (forced || w.capturedLength(1) >= 2)) {
        prefix = w.captured(1);
        model = m_embeddingModel;
        m_completionKind = CompletionKind::Embedding;
    }
    if (!model) {
        m_completer->popup()->hide();
        return false;
    }
    m_completionStart = cursor.position() - int(prefix.size());
    if (m_completer->model() != model)
        m_completer->setModel(model);
    m_completer->setCompletionPrefix(prefix);
    const bool exact = m_completer->completionCount() == 1 && m_completer->currentCompletion() == prefix;
    if (m_completer->completionCount() == 0 || (exact && !forced)) {
        m_completer->popup()->hide();
        return false;
    }
    m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    QRect rect = cursorRect();
    rect.setWidth(m_completer->popup()->sizeHintForColumn(0) + m_completer->popup()->verticalScrollBar()->sizeHint().width());
    m_completer->complete(rect);
    return true;
}

void PromptEdit::insertCompletion(const QString& completion)
{
    if (m_completionKind == CompletionKind::None)
        return;
    QTextCursor cursor = textCursor();
    cursor.beginEditBlock();
    cursor.setPosition(m_completionStart);
    cursor.setPosition(textCursor().position(), QTextCursor::KeepAnchor);
    QString inserted = completion;
    if (m_completionKind == CompletionKind::Lora) {
        // Close a tag still open: "<lora:na" -> "<lora:name:1>" (A1111's extra-network card default).
        const QString rest = cursor.block().text().mid(cursor.positionInBlock());
        static const QRegularExpression closed(QStringLiteral("^[^<>]*>"));
        if (!closed.match(rest).hasMatch())
            inserted += QStringLiteral(":1>");
    }
    cursor.insertText(inserted);
    cursor.endEditBlock();
    setTextCursor(cursor);
    m_completionKind = CompletionKind::None;
}

void PromptEdit::keyPressEvent(QKeyEvent* event)
{
    const bool popupVisible = m_completer->popup()->isVisible();
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    const int key = event->key();
    if (popupVisible) {
        switch (key) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            if (!ctrl) {
                event->ignore(); // the completer acts on these
                return;
            }
            break;
        default:
            break;
        }
    }
    if (ctrl && (key == Qt::Key_Return || key == Qt::Key_Enter)) {
        m_completer->popup()->hide();
        Q_EMIT generateRequested();
        return;
    }
    if (key == Qt::Key_Escape && !popupVisible) {
        Q_EMIT cancelRequested();
        return;
    }
    if (ctrl && (key == Qt::Key_Up || key == Qt::Key_Down)) {
        adjustWeight(key == Qt::Key_Up);
        return;
    }
    if (ctrl && key == Qt::Key_Space) {
        updateCompletion(true);
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
    const bool typed = !event->text().isEmpty() && !ctrl && event->text().at(0).isPrint();
    if (typed || (popupVisible && key == Qt::Key_Backspace))
        updateCompletion(false);
    else if (popupVisible && (key == Qt::Key_Left || key == Qt::Key_Right || key == Qt::Key_Home || key == Qt::Key_End))
        m_completer->popup()->hide();
}

} // namespace easel::ui
