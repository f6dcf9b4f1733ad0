import LyraBase
import LyraSpace

/// The part of population based training that varies between its uses: what a member
/// starts with, and how an exploiting member changes the configuration it copied
/// (Jaderberg et al. 2017, "explore"). `PBTExplore` is Ray Tune's rule over any search
/// space; `PBAExplore` is Population Based Augmentation's over policy levels (Ho et al.
/// 2019). `PBT` runs the population, the exploit step and the bookkeeping for either.
public protocol PBTExplorer {
  /// The first configuration of population member `member` (0-based).
  func initial(member: Int, _ g: Generator) -> Config
  /// The explored copy of a donor's configuration.
  func perturb(_ c: Config, _ g: Generator) -> Config
  /// The rule's settings, part of the algorithm's (a restored search must match them).
  var settings: [String: JSON] { get }
}
