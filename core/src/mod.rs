
#[cfg(test)]
mod tests;
