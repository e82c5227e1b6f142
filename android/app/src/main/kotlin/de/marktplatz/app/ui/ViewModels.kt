package de.marktplatz.app.ui

import androidx.compose.runtime.Composable
import androidx.compose.ui.platform.LocalContext
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import de.marktplatz.app.AppGraph
import de.marktplatz.app.graph
import de.marktplatz.app.model.AccessibilityStatementModel
import de.marktplatz.app.model.AgendaModel
import de.marktplatz.app.model.AnnouncementsModel
import de.marktplatz.app.model.ClashModel
import de.marktplatz.app.model.EventInfoModel
import de.marktplatz.app.model.EventPickerModel
import de.marktplatz.app.model.ExhibitorDetailModel
import de.marktplatz.app.model.GalleryModel
import de.marktplatz.app.model.HallMapModel
import de.marktplatz.app.model.MapFocus
import de.marktplatz.app.model.MyAgendaModel
import de.marktplatz.app.model.OrganiserModel
import de.marktplatz.app.model.SearchModel
import de.marktplatz.app.model.SessionDetailModel
import de.marktplatz.app.model.SettingsModel
import de.marktplatz.app.model.ShareModel
import de.marktplatz.app.model.SpeakerDetailModel
import de.marktplatz.app.model.SpeakersModel
import de.marktplatz.app.model.StationDetailModel
import de.marktplatz.app.model.StationsModel

// Each screen's ViewModel only holds its plain-Kotlin model (model/, tested on the JVM) in
// viewModelScope, so the model survives rotation and stops when the screen is gone.

class AgendaViewModel(graph: AppGraph) : ViewModel() {
    val model = AgendaModel(graph.repo, viewModelScope, graph.event, graph.agendaFilters)
}

class SessionDetailViewModel(graph: AppGraph, sessionId: String) : ViewModel() {
    val model = SessionDetailModel(graph.repo, viewModelScope, graph.event, sessionId)
}

class StationsViewModel(graph: AppGraph) : ViewModel() {
    val model = StationsModel(graph.repo, viewModelScope, graph.event)
}

class StationDetailViewModel(graph: AppGraph, locationId: String) : ViewModel() {
    val model = StationDetailModel(graph.repo, viewModelScope, graph.event, locationId)
}

class ExhibitorDetailViewModel(graph: AppGraph, exhibitorId: String) : ViewModel() {
    val model = ExhibitorDetailModel(graph.repo, viewModelScope, graph.event, exhibitorId)
}

class SpeakersViewModel(graph: AppGraph) : ViewModel() {
    val model = SpeakersModel(graph.repo, viewModelScope, graph.event)
}

class SpeakerDetailViewModel(graph: AppGraph, speakerId: String) : ViewModel() {
    val model = SpeakerDetailModel(graph.repo, viewModelScope, graph.event, speakerId)
}

class SearchViewModel(graph: AppGraph) : ViewModel() {
    val model = SearchModel(graph.repo, viewModelScope, graph.event)

    override fun onCleared() = model.close()
}

class MyAgendaViewModel(graph: AppGraph) : ViewModel() {
    val model = MyAgendaModel(graph.repo, viewModelScope, graph.event)
}

class AnnouncementsViewModel(graph: AppGraph) : ViewModel() {
    val model = AnnouncementsModel(graph.repo, viewModelScope, graph.event)
}

class GalleryViewModel(graph: AppGraph) : ViewModel() {
    val model = GalleryModel(graph.repo, viewModelScope, graph.event)
}

class EventInfoViewModel(graph: AppGraph) : ViewModel() {
    val model = EventInfoModel(graph.repo, viewModelScope, graph.event)
}

class SettingsViewModel(graph: AppGraph) : ViewModel() {
    val model = SettingsModel(graph.repo, viewModelScope, graph.event, afterAccessCodeChange = { graph.sync.refresh() })
}

class HallMapViewModel(graph: AppGraph, focus: MapFocus?) : ViewModel() {
    val model = HallMapModel(graph.repo, viewModelScope, graph.event, focus)
}

class AccessibilityStatementViewModel(graph: AppGraph) : ViewModel() {
    val model = AccessibilityStatementModel(graph.repo, viewModelScope, graph.event)
}

class EventPickerViewModel(graph: AppGraph) : ViewModel() {
    val model = EventPickerModel(graph.repo, viewModelScope, graph.event, graph.lastEvent, graph.sync::eventSwitched)
}

class ShareViewModel(graph: AppGraph) : ViewModel() {
    val model = ShareModel(graph.repo, viewModelScope, graph.event)
}

class ClashViewModel(graph: AppGraph, code: String) : ViewModel() {
    val model = ClashModel(graph.repo, viewModelScope, graph.event, code)
}

/** The organiser screens share the app-level model (operations outlive the screen that made them). */
class OrganiserViewModel(graph: AppGraph) : ViewModel() {
    val model: OrganiserModel = graph.organiser
}

/** A ViewModel for the current back stack entry, built from the process's [AppGraph]. */
@Composable
inline fun <reified VM : ViewModel> appViewModel(noinline create: (AppGraph) -> VM): VM {
    val graph = LocalContext.current.graph
    return viewModel { create(graph) }
}
