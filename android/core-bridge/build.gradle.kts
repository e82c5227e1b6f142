// The Rust core for Android: uniffi's generated Kotlin (build/generated, from
// scripts/gen-bindings.sh), the coroutine/Flow layer in src/main/kotlin, JNA, and the native
// libraries for each ABI in src/main/jniLibs (from scripts/build-android.sh).
plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

val generatedBindings = layout.projectDirectory.file("build/generated/de/marktplatz/core/marktplatz.kt")

android {
    namespace = "de.marktplatz.bridge"
    compileSdk = 36

    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets {
        getByName("main") {
            kotlin.srcDirs("src/main/kotlin", "build/generated")
            jniLibs.srcDirs("src/main/jniLibs")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    testOptions {
        unitTests.all {
            // The JVM unit tests load the host build of the library (cargo build -p marktplatz-ffi)
            // and need a `marktplatz serve --demo` (scripts/test-kotlin.sh starts one).
            it.systemProperty("jna.library.path", rootDir.resolve("../target/debug").absolutePath)
            System.getenv("MARKTPLATZ_TEST_SERVER")?.let { url -> it.environment("MARKTPLATZ_TEST_SERVER", url) }
        }
    }
}

kotlin {
    jvmToolchain(17)
}

// A clear message instead of hundreds of unresolved references when the bindings are missing.
val checkBindings by tasks.registering {
    val bindings = generatedBindings.asFile
    doLast {
        check(bindings.isFile) { "${bindings.path} is missing: run scripts/build-android.sh (or scripts/gen-bindings.sh) first" }
    }
}
tasks.named("preBuild") { dependsOn(checkBindings) }

dependencies {
    // The AAR carries libjnidispatch.so for every Android ABI.
    implementation(libs.jna) { artifact { type = "aar" } }
    api(libs.kotlinx.coroutines.android)

    // On the JVM the plain jar carries the desktop dispatch library.
    testImplementation(libs.jna)
    testImplementation(libs.junit)
}
