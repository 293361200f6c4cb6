// Placeholder so the test target builds before its tests land; delete when the first real test arrives.
import Testing
