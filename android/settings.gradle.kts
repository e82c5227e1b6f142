// The Android build: core-bridge (the Rust core through uniffi + JNA) and app (Jetpack Compose).
// Before the first build run scripts/build-android.sh: it puts the native libraries into
// core-bridge/src/main/jniLibs and the generated Kotlin into core-bridge/build/generated.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "Marktplatz"
include(":core-bridge", ":app")
