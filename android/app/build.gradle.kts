// The attendee and organiser app: Jetpack Compose + Material 3 over core-bridge. Screen logic
// that needs no Android API lives in src/main/kotlin/de/marktplatz/app/model (plain Kotlin, tested
// on the JVM by scripts/test-kotlin.sh); ui/, notify/ and work/ are the Android side.
plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

val eventId = providers.gradleProperty("marktplatz.eventId").get()
val serverUrl = providers.gradleProperty("marktplatz.serverUrl").get()

android {
    namespace = "de.marktplatz.app"
    compileSdk = 36

    defaultConfig {
        applicationId = "de.marktplatz.app"
        minSdk = 26
        targetSdk = 36
        versionCode = 1
        versionName = "0.1.0"
        buildConfigField("String", "EVENT_ID", "\"$eventId\"")
        buildConfigField("String", "SERVER_URL", "\"$serverUrl\"")
    }

    buildTypes {
        debug {
            // `marktplatz serve --demo --listen 127.0.0.1:8080` on the developer's machine: the
            // emulator reaches the host's loopback as 10.0.2.2.
            buildConfigField("String", "SERVER_URL", "\"http://10.0.2.2:8080\"")
            applicationIdSuffix = ".debug"
        }
        release {
            isMinifyEnabled = true
            isShrinkResources = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    buildFeatures {
        compose = true
        buildConfig = true
    }

    // Per-app language (Android 13+ system settings, and the app's own picker on older ones)
    // from the locales that have resources: values (en) and values-de.
    androidResources {
        generateLocaleConfig = true
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    testOptions {
        unitTests.all {
            it.systemProperty("jna.library.path", rootDir.resolve("../target/debug").absolutePath)
            System.getenv("MARKTPLATZ_TEST_SERVER")?.let { url -> it.environment("MARKTPLATZ_TEST_SERVER", url) }
            System.getenv("MARKTPLATZ_TEST_ORGANISER_TOKEN")?.let { t -> it.environment("MARKTPLATZ_TEST_ORGANISER_TOKEN", t) }
        }
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    implementation(project(":core-bridge"))

    implementation(libs.androidx.core.ktx)
    implementation(libs.androidx.appcompat)
    implementation(libs.androidx.activity.compose)
    implementation(platform(libs.androidx.compose.bom))
    implementation(libs.androidx.compose.ui)
    implementation(libs.androidx.compose.ui.tooling.preview)
    implementation(libs.androidx.compose.material3)
    implementation(libs.androidx.compose.material.icons.extended)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.lifecycle.runtime.compose)
    implementation(libs.androidx.lifecycle.process)
    implementation(libs.androidx.exifinterface)
    implementation(libs.androidx.navigation.compose)
    implementation(libs.androidx.work.runtime.ktx)
    implementation(libs.coil.compose)
    // QR codes: ZXing renders and decodes them (no ML Kit, no Play services); CameraX feeds it frames.
    implementation(libs.zxing.core)
    implementation(libs.androidx.camera.camera2)
    implementation(libs.androidx.camera.lifecycle)
    implementation(libs.androidx.camera.view)
    debugImplementation(libs.androidx.compose.ui.tooling)

    testImplementation(libs.junit)
    testImplementation(libs.jna)
}
