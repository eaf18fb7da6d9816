#pragma once
/// The prompt box: A1111 prompt syntax highlighting, bracket matching, Ctrl+Up/Down weight editing,
/// LoRA / embedding name completion and a token counter ("12/75") per 75-token chunk.
/// Ctrl+Enter asks to generate, Esc to cancel. GUI thread (the token count runs on the thread pool).

#include <QPlainTextEdit>
#include <QPointer>
#include <QStringList>

class QAbstractItemModel;
class QCompleter;
class QLabel;
class QTimer;

namespace easel::ui {

class PromptHighlighter;

class PromptEdit : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit PromptEdit(QWidget* parent = nullptr);
    ~PromptEdit() override;

    /// false: the negative prompt (AND is not split when counting tokens).
    void setPositive(bool positive);
    bool isPositive() const { return m_positive; }
    /// Sampling steps: schedules "[a:b:0.5]" resolve against them when counting tokens.
    void setSteps(int steps);

    /// Names of installed LoRAs (also LyCORIS); <lora:…> / <lyco:…> tags naming anything else are
    /// underlined. An empty list underlines every LoRA tag. Matching ignores case.
    void setKnownLoraNames(const QStringList& names);
    /// Hypernetworks, for <hypernet:…> tags.
    void setKnownHypernetworkNames(const QStringList& names);

    /// Completion sources (first column, display role). The models stay owned by the caller.
    void setLoraCompletionModel(QAbstractItemModel* model);
    void setEmbeddingCompletionModel(QAbstractItemModel* model);
    QCompleter* completer() const { return m_completer; }

    /// The counter text last computed, e.g. "12/75" (empty until the first count finishes).
    QString tokenCountText() const;
    QLabel* tokenCounterLabel() const { return m_counter; }
    PromptHighlighter* highlighter() const { return m_highlighter; }

    /// Ctrl+Up (increase) / Ctrl+Down on the current selection, as a single undo step.
    bool adjustWeight(bool increase);

Q_SIGNALS:
    void generateRequested();
    void cancelRequested();
    /// A new token count is shown ("used/limit"); `used` tokens, `limit` = chunks × 75.
    void tokenCountChanged(int used, int limit);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;

private:
    void scheduleTokenCount();
    void startTokenCount();
    void updateBracketMatch();
    void placeCounter();
    bool updateCompletion(bool forced);
    void insertCompletion(const QString& completion);
    void updateValidator();

    PromptHighlighter* m_highlighter = nullptr;
    QLabel* m_counter = nullptr;
    QTimer* m_countTimer = nullptr;
    QCompleter* m_completer = nullptr;
    QPointer<QAbstractItemModel> m_loraModel;
    QPointer<QAbstractItemModel> m_embeddingModel;
    enum class CompletionKind { None, Lora, Embedding } m_completionKind = CompletionKind::None;
    int m_completionStart = 0;   ///< document position where the completed prefix begins
    QStringList m_loraNames;     ///< lower-cased
    QStringList m_hypernetNames; ///< lower-cased
    bool m_loraNamesSet = false;
    bool m_hypernetNamesSet = false;
    bool m_positive = true;
    int m_steps = 20;
    int m_countGeneration = 0;   ///< drops results of counts started before the latest edit
};

} // namespace easel::ui
