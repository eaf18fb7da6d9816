#pragma once
/// The studio's main window: menus, status bar and the dock layout (prompt, parameters, queue,
/// gallery) around the central result view. Generates through the EngineController (Ctrl+Enter,
/// Esc, cancel all, generate forever), shows progress and previews, records every finished image in
/// the catalog, keeps the model pickers filled from a background scan of the model folders.
/// Dropping an image applies its A1111 parameters. Retranslates itself when the application
/// language changes. GUI thread.

#include <QMainWindow>
#include <QStringList>

#include "engine/api/request.h"
#include "engine/service/job.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QStringListModel;
class QToolButton;

namespace easel::app {
class EngineController;
class GalleryModel;
class LoRAMix;
class ModelFolderWatcher;
class ModelLibraryModel;
class ModelListModel;
class Settings;
} // namespace easel::app

namespace easel::ui {

class GalleryPanel;
class CanvasPanel;
class LoRAPanel;
class ControlNetPanel;
class ParametersPanel;
class PngInfoDialog;
class ModelManagerDialog;
class PromptEdit;
class QueuePanel;
class ResultView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(app::EngineController& engine, app::Settings& settings, QWidget* parent = nullptr);

    QDockWidget* promptDock() const { return m_promptDock; }
    QDockWidget* parametersDock() const { return m_parametersDock; }
    QDockWidget* galleryDock() const { return m_galleryDock; }
    QDockWidget* queueDock() const { return m_queueDock; }
    ResultView* resultView() const { return m_results; }
    QueuePanel* queuePanel() const { return m_queuePanel; }
    GalleryPanel* galleryPanel() const { return m_galleryPanel; }
    app::GalleryModel* galleryModel() const { return m_gallery; }
    /// The catalog file (models and image history): <api::dataDirectory()>/catalog.sqlite.
    QString catalogPath() const { return m_catalogPath; }
    PromptEdit* promptEdit() const { return m_prompt; }
    PromptEdit* negativePromptEdit() const { return m_negativePrompt; }
    ParametersPanel* parametersPanel() const { return m_parameters; }
    /// The img2img / inpainting canvas; currentRequest() feeds it through CanvasPanel::applyTo.
    CanvasPanel* canvasPanel() const { return m_canvasPanel; }
    QDockWidget* canvasDock() const { return m_canvasDock; }
    /// Where the canvas image and mask are written for a job (<api::dataDirectory()>/canvas).
    /// Opens an image on the canvas and brings the canvas tab forward (send to img2img / inpaint).
    bool sendToCanvas(const QString& imagePath);
    /// ControlNet units (ui/controlnet); generate() adds its enabled units to the request.
    ControlNetPanel* controlNetPanel() const { return m_controlNetPanel; }
    QDockWidget* controlNetDock() const { return m_controlNetDock; }
    /// ControlNet models from the last scan (the panel filters them by the checkpoint's family).
    app::ModelListModel* controlNetModel() const { return m_controlNets; }
    /// The checkpoint / VAE lists the pickers show; whoever scans models fills them.
    app::ModelListModel* checkpointModel() const { return m_checkpoints; }
    app::ModelListModel* vaeModel() const { return m_vaes; }
    /// LoRA / embedding names the prompt boxes complete (file stems from the last scan).
    QStringListModel* loraNames() const { return m_loraNames; }
    QStringListModel* embeddingNames() const { return m_embeddingNames; }
    /// The LoRA browser and mix; the mix goes into currentRequest().loras.
    LoRAPanel* loraPanel() const { return m_loraPanel; }
    QDockWidget* loraDock() const { return m_loraDock; }
    app::LoRAMix* loraMix() const { return m_loraMix; }
    app::ModelLibraryModel* loraLibrary() const { return m_loraLibrary; }
    /// Rescans (debounced) when files in the model folders change while the studio runs.
    app::ModelFolderWatcher* folderWatcher() const { return m_folderWatcher; }

    /// Prompts + parameters as they stand.
    api::GenerationRequest currentRequest() const;
    /// Reads an image's A1111 parameters off the GUI thread, then shows them (parametersApplied, or a
    /// notice saying why not).
    void applyParametersFromImage(const QString& path);
    /// PNG Info: reads the image's parameters off the GUI thread and shows them in the (non-modal)
    /// PNG Info dialog, whose Apply calls applyRequest. A drop onto the window lands here.
    void showPngInfo(const QString& path);
    /// Asks for an image file, then showPngInfo (File > PNG Info…).
    void choosePngInfoFile();
    /// The PNG Info dialog, once one was shown (nullptr before).
    PngInfoDialog* pngInfoDialog() const { return m_pngInfo; }
    /// Opens (or raises) the model manager and scans; a finished scan refreshes the pickers.
    void showModelManager();
    ModelManagerDialog* modelManager() const { return m_modelManager; }
    /// Puts a request read from `path` into the prompt boxes and the parameters panel; checkpoints,
    /// VAEs and `loras` that are not installed are named in a notice. Emits parametersApplied.
    void applyRequest(const QString& path, const api::GenerationRequest& request, const QStringList& loras = {});
    /// The non-modal notice currently shown ("" when none).
    QString noticeText() const;
    void showNotice(const QString& text);

    /// Queues currentRequest() (the Generate button, Ctrl+Enter) — img2img / inpaint when the canvas
    /// holds an image (CanvasPanel::applyTo). Returns the job id, 0 when the canvas could not be used.
    int generate();
    /// Stops the running job (Esc); queued jobs stay.
    void cancelCurrent();
    /// Cancels the running and every queued job and turns generate-forever off.
    void cancelAll();
    void setGenerateForever(bool on);
    /// Scans the model folders (Settings) into the catalog on a pool thread — or, when generations
    /// run on an Easel server (Settings → Engine), lists the server's models — then refills the
    /// pickers and completion lists (modelsScanned). A request during a scan runs after it.
    void rescanModels();
    bool isScanningModels() const { return m_scanning; }
    /// Sets the seed field (Use seed).
    void useSeed(qint64 seed);
    /// Applies a gallery image's parameters: from its file like a drop, or from the catalog's copy
    /// of the request when the file is gone.
    void reuseParameters(const QString& path, const QString& paramsJson, qint64 seed);

Q_SIGNALS:
    void generateRequested();
    void cancelRequested();
    /// Parameters from `path` are applied; `missing` names the models and LoRAs that are not installed.
    void parametersApplied(const QString& path, const QStringList& missing);
    /// "Send to img2img / inpaint" on a result or gallery image; the canvas loads it.
    void sendToCanvasRequested(const QString& imagePath);
    /// A model scan finished and the lists are refilled ("" = no error).
    void modelsScanned(const QString& error);
    /// A finished job's images are in the catalog (their image ids).
    void imagesRecorded(int jobId, const QList<qint64>& imageIds);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    void buildCanvasDock();
    void buildLoRADock();
    void buildControlNetDock();
    void retranslate();
    void showSystemInfo();
    void showSettings();
    /// Points the engine at this computer or at the Easel server, as Settings → Engine says.
    void applyEngineSettings();
    void updateDeviceLabel();
    void buildGeneration();
    void onJobStarted(int id);
    void onJobProgress(int id, int step, int total, double eta, const QImage& preview);
    void onImagesReady(int id, const QStringList& paths, const QList<QImage>& images, const QStringList& infotexts);
    /// What a job queued now is run with: the settings' preview cadence, output folder and pattern.
    service::JobOptions jobOptions() const;

    app::EngineController& m_engine;
    app::Settings& m_settings;
    app::ModelListModel* m_checkpoints = nullptr;
    app::ModelListModel* m_vaes = nullptr;
    QDockWidget* m_promptDock = nullptr;
    QDockWidget* m_parametersDock = nullptr;
    QDockWidget* m_galleryDock = nullptr;
    QDockWidget* m_queueDock = nullptr;
    ResultView* m_results = nullptr;
    QueuePanel* m_queuePanel = nullptr;
    GalleryPanel* m_galleryPanel = nullptr;
    app::GalleryModel* m_gallery = nullptr;
    QStringListModel* m_loraNames = nullptr;
    QStringListModel* m_embeddingNames = nullptr;
    QString m_catalogPath;
    bool m_scanning = false;
    bool m_rescanPending = false;
    QToolButton* m_generateButton = nullptr;
    QToolButton* m_cancelButton = nullptr;
    QToolButton* m_cancelAllButton = nullptr;
    QToolButton* m_foreverButton = nullptr;
    QMenu* m_generateMenu = nullptr;
    QAction* m_generateAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_cancelAllAction = nullptr;
    QAction* m_foreverAction = nullptr;
    QAction* m_rescanAction = nullptr;
    PromptEdit* m_prompt = nullptr;
    PromptEdit* m_negativePrompt = nullptr;
    ParametersPanel* m_parameters = nullptr;
    CanvasPanel* m_canvasPanel = nullptr;
    QDockWidget* m_canvasDock = nullptr;
    app::LoRAMix* m_loraMix = nullptr;
    app::ModelLibraryModel* m_loraLibrary = nullptr;
    app::ModelFolderWatcher* m_folderWatcher = nullptr;
    LoRAPanel* m_loraPanel = nullptr;
    QDockWidget* m_loraDock = nullptr;
    ControlNetPanel* m_controlNetPanel = nullptr;
    QDockWidget* m_controlNetDock = nullptr;
    app::ModelListModel* m_controlNets = nullptr;
    QWidget* m_notice = nullptr;
    QLabel* m_noticeLabel = nullptr;
    QToolButton* m_noticeClose = nullptr;
    QLabel* m_statusDevice = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QAction* m_settingsAction = nullptr;
    QAction* m_pngInfoAction = nullptr;
    PngInfoDialog* m_pngInfo = nullptr;
    QAction* m_modelManagerAction = nullptr;
    ModelManagerDialog* m_modelManager = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_systemInfoAction = nullptr;
    QAction* m_aboutAction = nullptr;
};

} // namespace easel::ui
